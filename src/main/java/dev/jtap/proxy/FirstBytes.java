package dev.jtap.proxy;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Recognises the protocol of a connection from the first bytes the client sent. */
final class FirstBytes {
    enum Kind { TLS, HTTP1, HTTP2_PREFACE, NEED_MORE, OTHER }

    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_METHOD = 24;
    private static final int MAX_REQUEST_LINE = 8192;

    private FirstBytes() {
    }

    static Kind detect(ByteBuf data) {
        int start = data.readerIndex();
        int length = data.readableBytes();
        if (length == 0) {
            return Kind.NEED_MORE;
        }
        if (data.getByte(start) == 0x16) {
            return length < 3 ? Kind.NEED_MORE : data.getByte(start + 1) == 3 ? Kind.TLS : Kind.OTHER;
        }
        if (startsWith(data, H2_PREFACE)) {
            return length >= H2_PREFACE.length ? Kind.HTTP2_PREFACE : Kind.NEED_MORE;
        }
        return requestLine(data, start, length);
    }

    /** METHOD SP target SP HTTP/1.x, seen up to the end of what has arrived. */
    private static Kind requestLine(ByteBuf data, int start, int length) {
        int i = 0;
        while (i < length && i <= MAX_METHOD && isTokenChar(data.getByte(start + i))) {
            i++;
        }
        if (i == length) {
            return i <= MAX_METHOD ? Kind.NEED_MORE : Kind.OTHER;
        }
        if (i == 0 || i > MAX_METHOD || data.getByte(start + i) != ' ') {
            return Kind.OTHER;
        }
        int lineEnd = data.indexOf(start, start + Math.min(length, MAX_REQUEST_LINE), (byte) '\n');
        if (lineEnd < 0) {
            return length >= MAX_REQUEST_LINE ? Kind.OTHER : Kind.NEED_MORE;
        }
        String line = data.toString(start, lineEnd - start, StandardCharsets.ISO_8859_1).stripTrailing();
        return line.matches("\\S+ \\S+ HTTP/1\\.[01]") ? Kind.HTTP1 : Kind.OTHER;
    }

    private static boolean startsWith(ByteBuf data, byte[] prefix) {
        int n = Math.min(prefix.length, data.readableBytes());
        for (int i = 0; i < n; i++) {
            if (data.getByte(data.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(byte b) {
        return b > 32 && b < 127 && "()<>@,;:\\\"/[]?={}".indexOf(b) < 0;
    }
}
