package dev.jtap.http;

import io.netty.buffer.ByteBuf;

/** Guesses the protocol of a connection from the first bytes its client sent. */
public final class ProtocolSniffer {

    public enum Kind { HTTP2_PREFACE, HTTP1_REQUEST, TLS, NEED_MORE, OTHER }

    static final int MAX_METHOD_LENGTH = 32;
    static final int MAX_REQUEST_LINE = 16 * 1024;

    private static final byte[] HTTP1_VERSION = " HTTP/1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private ProtocolSniffer() {
    }

    /** Reads the readable bytes by absolute index; {@code firstClientBytes} is not changed. */
    public static Kind detect(ByteBuf firstClientBytes) {
        int start = firstClientBytes.readerIndex();
        int length = firstClientBytes.readableBytes();
        if (length == 0) {
            return Kind.NEED_MORE;
        }
        if (firstClientBytes.getUnsignedByte(start) == 0x16) {
            return length < 2 ? Kind.NEED_MORE
                    : firstClientBytes.getUnsignedByte(start + 1) == 0x03 ? Kind.TLS : Kind.OTHER;
        }
        byte[] preface = Http2DirectionReader.CLIENT_PREFACE;
        if (matchesPrefix(firstClientBytes, start, length, preface, 0)) {
            return length >= preface.length ? Kind.HTTP2_PREFACE : Kind.NEED_MORE;
        }
        return http1RequestLine(firstClientBytes, start, length);
    }

    /** Method token, space, a target without spaces or controls, then " HTTP/1.". */
    private static Kind http1RequestLine(ByteBuf bytes, int start, int length) {
        int end = start + Math.min(length, MAX_REQUEST_LINE);
        int at = start;
        while (at < end && isTokenChar(bytes.getUnsignedByte(at))) {
            at++;
        }
        int methodLength = at - start;
        if (methodLength == 0 || methodLength > MAX_METHOD_LENGTH) {
            return Kind.OTHER;
        }
        if (at == end) {
            return needMoreUnlessCapped(length);
        }
        if (bytes.getUnsignedByte(at++) != ' ') {
            return Kind.OTHER;
        }
        int targetStart = at;
        while (at < end) {
            int b = bytes.getUnsignedByte(at);
            if (b == ' ') {
                break;
            }
            if (b < 0x20 || b == 0x7f) {
                return Kind.OTHER;
            }
            at++;
        }
        if (at == end) {
            return needMoreUnlessCapped(length);
        }
        if (at == targetStart) {
            return Kind.OTHER;
        }
        int compared = Math.min(HTTP1_VERSION.length, end - at);
        if (!matchesPrefix(bytes, at, compared, HTTP1_VERSION, 0)) {
            return Kind.OTHER;
        }
        return compared == HTTP1_VERSION.length ? Kind.HTTP1_REQUEST : needMoreUnlessCapped(length);
    }

    private static Kind needMoreUnlessCapped(int length) {
        return length >= MAX_REQUEST_LINE ? Kind.OTHER : Kind.NEED_MORE;
    }

    /** Whether the first {@code min(length, expected.length)} bytes at {@code at} equal {@code expected}. */
    private static boolean matchesPrefix(ByteBuf bytes, int at, int length, byte[] expected, int from) {
        int n = Math.min(length, expected.length - from);
        for (int i = 0; i < n; i++) {
            if (bytes.getByte(at + i) != expected[from + i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(int b) {
        return b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z'
                || b < 0x80 && TOKEN_SYMBOLS.indexOf(b) >= 0;
    }
}
