package dev.jtap.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/** Builds RFC 6455 frames by hand. */
final class WebSocketFrames {

    private WebSocketFrames() {
    }

    /** A frame; {@code rsv} is the three reserved bits as 0..7 (4 = RSV1); masked when {@code mask} is given. */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, byte[] mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = mask != null ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] body = payload.clone();
        if (mask != null) {
            out.writeBytes(mask);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i & 3];
            }
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] close(int code, String reason, byte[] mask) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return frame(true, 0, 8, payload, mask);
    }

    /** Compresses one message with a shared deflater (context takeover) and strips the 00 00 ff ff tail. */
    static byte[] deflate(Deflater deflater, byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
            if (n < buffer.length) {
                break;
            }
        }
        byte[] compressed = out.toByteArray();
        return Arrays.copyOf(compressed, compressed.length - 4);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
