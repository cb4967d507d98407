package dev.jtap.record;

import java.io.ByteArrayOutputStream;

/**
 * Writes valid brotli streams made only of uncompressed meta-blocks (RFC 7932 §9.2), since the brotli
 * library on the classpath can only decode. Enough to exercise the decoding path end to end.
 */
final class BrotliTestData {

    private static final int MAX_BLOCK = 1 << 16;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int bitBuffer;
    private int bitCount;

    private BrotliTestData() {
    }

    static byte[] uncompressed(byte[] data) {
        BrotliTestData writer = new BrotliTestData();
        writer.bits(0, 1); // WBITS = 16
        for (int at = 0; at < data.length; at += MAX_BLOCK) {
            int length = Math.min(MAX_BLOCK, data.length - at);
            writer.bits(0, 1); // ISLAST = 0
            writer.bits(0, 2); // MNIBBLES = 4
            writer.bits(length - 1, 16); // MLEN - 1
            writer.bits(1, 1); // ISUNCOMPRESSED
            writer.alignToByte();
            writer.out.write(data, at, length);
        }
        writer.bits(1, 1); // ISLAST
        writer.bits(1, 1); // ISLASTEMPTY
        writer.alignToByte();
        return writer.out.toByteArray();
    }

    private void bits(int value, int count) {
        for (int i = 0; i < count; i++) {
            bitBuffer |= ((value >>> i) & 1) << bitCount;
            if (++bitCount == 8) {
                out.write(bitBuffer);
                bitBuffer = 0;
                bitCount = 0;
            }
        }
    }

    private void alignToByte() {
        if (bitCount > 0) {
            out.write(bitBuffer);
            bitBuffer = 0;
            bitCount = 0;
        }
    }
}
