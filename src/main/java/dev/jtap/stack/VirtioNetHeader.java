package dev.jtap.stack;

import java.nio.ByteBuffer;

/**
 * The {@code virtio_net_hdr} in front of every packet on a TUN opened with IFF_VNET_HDR. With
 * checksum offload the kernel hands over TCP/UDP packets whose checksum field holds only the
 * pseudo-header sum (flag NEEDS_CSUM); written back with the same header, the receiving socket
 * trusts them without summing the payload, which saves two passes over every byte.
 */
final class VirtioNetHeader {
    static final int LENGTH = 10;
    private static final int NEEDS_CSUM = 1;

    private VirtioNetHeader() {
    }

    static boolean needsChecksum(ByteBuffer buffer, int offset) {
        return (buffer.get(offset) & NEEDS_CSUM) != 0;
    }

    /** An all-zero header: a complete packet with no offload. */
    static void clear(ByteBuffer buffer, int offset) {
        buffer.putLong(offset, 0L);
        buffer.putShort(offset + 8, (short) 0);
    }
}
