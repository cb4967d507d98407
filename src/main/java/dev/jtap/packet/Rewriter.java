package dev.jtap.packet;

import static dev.jtap.packet.Bytes.put16;
import static dev.jtap.packet.Bytes.u16;

import java.nio.ByteBuffer;

/** In-place NAT rewrite of the addresses and ports of a parsed TCP or UDP packet. */
public final class Rewriter {
    private Rewriter() {}

    /**
     * Replaces source and destination address and port of the packet {@code v} describes, in its
     * buffer, keeping the checksums right: the IPv4 header checksum is recomputed; the TCP/UDP
     * checksum is updated incrementally (RFC 1624). An IPv4 UDP checksum of 0 ("none") stays 0.
     *
     * @param partialChecksum the TCP/UDP checksum field holds the non-inverted pseudo-header sum
     *     that the kernel completes later (CHECKSUM_PARTIAL); only the address change then
     *     touches it, because ports are not part of the pseudo-header
     * @throws IllegalArgumentException if the packet is not TCP/UDP, an address has the wrong
     *     length or a port is outside 0..65535
     */
    public static void rewrite(
            PacketView v, byte[] newSrcAddr, int newSrcPort, byte[] newDstAddr, int newDstPort,
            boolean partialChecksum) {
        if (!v.isTcp() && !v.isUdp()) {
            throw new IllegalArgumentException("not a TCP or UDP packet");
        }
        int addrLength = v.addrLength();
        if (newSrcAddr.length != addrLength || newDstAddr.length != addrLength) {
            throw new IllegalArgumentException("address length must be " + addrLength);
        }
        if ((newSrcPort & ~0xffff) != 0 || (newDstPort & ~0xffff) != 0) {
            throw new IllegalArgumentException("port out of range");
        }
        ByteBuffer buf = v.buffer();
        int srcAt = v.srcAddrOffset();
        int dstAt = v.dstAddrOffset();
        int portsAt = v.l4Offset();
        int checksumAt = v.l4ChecksumOffset();

        int oldAddrSum = Checksum.sum(buf, dstAt, addrLength, Checksum.sum(buf, srcAt, addrLength, 0));
        int newAddrSum = Checksum.sum(newDstAddr, 0, addrLength, Checksum.sum(newSrcAddr, 0, addrLength, 0));
        int stored = u16(buf, checksumAt);
        boolean noUdpChecksum = v.isUdp() && v.ipVersion() == 4 && stored == 0;
        if (!noUdpChecksum) {
            int updated;
            if (partialChecksum) {
                updated = Checksum.replacePartial(stored, oldAddrSum, newAddrSum);
            } else {
                int oldSum = Checksum.sum(buf, portsAt, 4, oldAddrSum);
                int newSum = newAddrSum + newSrcPort + newDstPort;
                updated = Checksum.replace(stored, oldSum, newSum);
                if (updated == 0 && v.isUdp()) {
                    updated = 0xffff;
                }
            }
            put16(buf, checksumAt, updated);
        }

        buf.put(srcAt, newSrcAddr, 0, addrLength);
        buf.put(dstAt, newDstAddr, 0, addrLength);
        put16(buf, portsAt, newSrcPort);
        put16(buf, portsAt + 2, newDstPort);
        if (v.ipVersion() == 4) {
            updateIpv4HeaderChecksum(buf, v.offset(), v.ipHeaderLength());
        }
    }

    /** Recomputes the IPv4 header checksum of the header at {@code offset}. */
    static void updateIpv4HeaderChecksum(ByteBuffer buf, int offset, int headerLength) {
        put16(buf, offset + 10, 0);
        put16(buf, offset + 10, Checksum.finish(Checksum.sum(buf, offset, headerLength, 0)));
    }
}
