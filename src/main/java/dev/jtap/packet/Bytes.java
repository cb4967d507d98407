package dev.jtap.packet;

import java.nio.ByteBuffer;

/** Big-endian field access at absolute indexes, independent of the buffer's byte order. */
final class Bytes {
    private Bytes() {}

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 8 | (b.get(i + 1) & 0xff);
    }

    static long u32(ByteBuffer b, int i) {
        return (long) u16(b, i) << 16 | u16(b, i + 2);
    }

    static void put8(ByteBuffer b, int i, int v) {
        b.put(i, (byte) v);
    }

    static void put16(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 8));
        b.put(i + 1, (byte) v);
    }

    static void put32(ByteBuffer b, int i, long v) {
        put16(b, i, (int) (v >>> 16));
        put16(b, i + 2, (int) v);
    }

    static void zero(ByteBuffer b, int i, int length) {
        for (int end = i + length; i < end; i++) {
            b.put(i, (byte) 0);
        }
    }
}
