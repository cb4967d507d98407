package dev.jtap.packet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;

/** Naive reference implementations and random packet generation for the tests. */
final class Reference {
    private Reference() {}

    static final int TCP = 6;
    static final int UDP = 17;

    /** Straightforward one's-complement sum, folded to 16 bits. */
    static int sum(byte[] b, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            s += hi << 8 | lo;
        }
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    static int checksum(byte[] b, int off, int len, long initial) {
        return ~sum(b, off, len, initial) & 0xffff;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    /** Pseudo-header sum (folded, not inverted) of a packet in {@code p}. */
    static int pseudo(byte[] p, int version, int protocol, int l4Length) {
        int srcAt = version == 4 ? 12 : 8;
        int addrLength = version == 4 ? 4 : 16;
        int s = sum(p, srcAt, 2 * addrLength, 0);
        return sum(new byte[0], 0, 0, (long) s + protocol + l4Length);
    }

    static int pseudo(byte[] src, byte[] dst, int protocol, int l4Length) {
        return sum(dst, 0, dst.length, (long) sum(src, 0, src.length, 0) + protocol + l4Length);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static ByteBuffer buffer(Random r, int capacity) {
        ByteBuffer b = r.nextBoolean() ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
        return b.order(r.nextInt(4) == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    /** A description of a generated packet: where its parts are. */
    record Generated(byte[] bytes, int version, int protocol, int ipHeaderLength, int l4HeaderLength, int payloadLength) {
        int l4Offset() {
            return ipHeaderLength;
        }

        int checksumAt() {
            return ipHeaderLength + (protocol == TCP ? 16 : 6);
        }

        int l4Length() {
            return bytes.length - ipHeaderLength;
        }
    }

    /**
     * A random valid TCP or UDP packet with correct checksums; IPv4 sometimes with options,
     * IPv6 sometimes with hop-by-hop/routing/destination-options headers, TCP sometimes with options.
     */
    static Generated randomPacket(Random r, int version, int protocol, int payloadLength) {
        int ipHeaderLength;
        int[] extLengths = new int[0];
        if (version == 4) {
            ipHeaderLength = 20 + (r.nextInt(3) == 0 ? 4 * r.nextInt(1, 11) : 0);
        } else {
            extLengths = new int[r.nextInt(3) == 0 ? r.nextInt(1, 4) : 0];
            ipHeaderLength = 40;
            for (int i = 0; i < extLengths.length; i++) {
                extLengths[i] = 8 * r.nextInt(1, 4);
                ipHeaderLength += extLengths[i];
            }
        }
        int l4HeaderLength = protocol == UDP ? 8 : 20 + (r.nextBoolean() ? 4 * r.nextInt(1, 11) : 0);
        int l4Length = l4HeaderLength + payloadLength;
        byte[] p = new byte[ipHeaderLength + l4Length];
        r.nextBytes(p);

        if (version == 4) {
            p[0] = (byte) (0x40 | ipHeaderLength / 4);
            put16(p, 2, p.length);
            p[6] = (byte) (p[6] & 0x80 | (r.nextBoolean() ? 0x40 : 0));
            p[7] = 0;
            p[9] = (byte) protocol;
            put16(p, 10, 0);
            put16(p, 10, checksum(p, 0, ipHeaderLength, 0));
        } else {
            p[0] = (byte) (0x60 | p[0] & 0x0f);
            put16(p, 4, p.length - 40);
            int[] kinds = {0, 43, 60};
            int at = 40;
            int nextAt = 6;
            for (int ext : extLengths) {
                int kind = at == 40 ? 0 : kinds[r.nextInt(1, 3)];
                p[nextAt] = (byte) kind;
                p[at + 1] = (byte) (ext / 8 - 1);
                nextAt = at;
                at += ext;
            }
            p[nextAt] = (byte) protocol;
        }
        int l4 = ipHeaderLength;
        if (protocol == TCP) {
            p[l4 + 12] = (byte) (l4HeaderLength / 4 << 4 | p[l4 + 12] & 0x0f);
        } else {
            put16(p, l4 + 4, l4Length);
        }
        Generated g = new Generated(p, version, protocol, ipHeaderLength, l4HeaderLength, payloadLength);
        put16(p, g.checksumAt(), 0);
        int c = checksum(p, l4, l4Length, pseudo(p, version, protocol, l4Length));
        put16(p, g.checksumAt(), protocol == UDP && c == 0 ? 0xffff : c);
        return g;
    }

    static Generated randomPacket(Random r) {
        int payload = r.nextInt(8) == 0 ? 0 : r.nextInt(1, 300);
        return randomPacket(r, r.nextBoolean() ? 4 : 6, r.nextBoolean() ? TCP : UDP, payload);
    }

    /** Full recomputation of the L4 checksum of a packet lying in {@code p}. */
    static int expectedL4Checksum(byte[] p, int version, int protocol, int l4Offset, int l4Length, int checksumAt) {
        byte[] copy = p.clone();
        put16(copy, checksumAt, 0);
        int c = checksum(copy, l4Offset, l4Length, pseudo(copy, version, protocol, l4Length));
        return protocol == UDP && c == 0 ? 0xffff : c;
    }
}
