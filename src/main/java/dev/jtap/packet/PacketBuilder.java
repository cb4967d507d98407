package dev.jtap.packet;

import static dev.jtap.packet.Bytes.put16;
import static dev.jtap.packet.Bytes.put32;
import static dev.jtap.packet.Bytes.put8;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes complete packets with correct checksums into a caller buffer at a given offset and
 * returns their length. Headers are minimal: IPv4 without options, TTL 64, DF set, id 0;
 * IPv6 without extension headers, hop limit 64. The address length (4 or 16) picks the family.
 * The output region must not overlap the packet being answered.
 *
 * @throws IndexOutOfBoundsException (all methods) if the packet does not fit before the limit
 */
public final class PacketBuilder {
    private PacketBuilder() {}

    /** Host unreachable: ICMP code 1, or ICMPv6 "address unreachable" (3). */
    public static final int UNREACHABLE_HOST = 1;
    /** Port unreachable: ICMP code 3, or ICMPv6 code 4. */
    public static final int UNREACHABLE_PORT = 3;

    private static final int TTL = 64;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int UDP_HEADER = 8;
    private static final int TCP_HEADER = 20;
    private static final int ICMP_HEADER = 8;
    private static final int IPV6_MIN_MTU = 1280;

    /** A UDP datagram carrying {@code payload} from its position to its limit (left unchanged). */
    public static int udp(
            ByteBuffer out, int off, byte[] srcAddr, int srcPort, byte[] dstAddr, int dstPort,
            ByteBuffer payload) {
        int addrLength = addressPair(srcAddr, dstAddr);
        int payloadLength = payload.remaining();
        int l4Length = UDP_HEADER + payloadLength;
        int l4 = begin(out, off, addrLength, l4Length);
        putAddresses(out, off, srcAddr, dstAddr);
        writeIpHeader(out, off, addrLength, IpProtocol.UDP, l4Length);
        put16(out, l4, port(srcPort));
        put16(out, l4 + 2, port(dstPort));
        put16(out, l4 + 4, l4Length);
        put16(out, l4 + 6, 0);
        out.put(l4 + UDP_HEADER, payload, payload.position(), payloadLength);
        int sum = pseudoHeader(out, off, addrLength, IpProtocol.UDP, l4Length);
        put16(out, l4 + 6, Checksum.finishUdp(Checksum.sum(out, l4, l4Length, sum)));
        return l4 - off + l4Length;
    }

    /**
     * A TCP segment with a 20-byte header (no options) carrying {@code payload} from its position
     * to its limit, which is left unchanged; {@code payload} may be null for none.
     */
    public static int tcp(
            ByteBuffer out, int off, byte[] srcAddr, int srcPort, byte[] dstAddr, int dstPort,
            long seq, long ack, int flags, int window, ByteBuffer payload) {
        int addrLength = addressPair(srcAddr, dstAddr);
        int payloadLength = payload == null ? 0 : payload.remaining();
        int l4 = begin(out, off, addrLength, TCP_HEADER + payloadLength);
        putAddresses(out, off, srcAddr, dstAddr);
        if (payloadLength > 0) {
            out.put(l4 + TCP_HEADER, payload, payload.position(), payloadLength);
        }
        return writeTcp(out, off, addrLength, srcPort, dstPort, seq, ack, flags, window, payloadLength);
    }

    /** A RST|ACK segment with window 0. */
    public static int tcpReset(
            ByteBuffer out, int off, byte[] srcAddr, int srcPort, byte[] dstAddr, int dstPort,
            long seq, long ack) {
        return tcp(out, off, srcAddr, srcPort, dstAddr, dstPort, seq, ack,
                PacketView.RST | PacketView.ACK, 0, null);
    }

    /**
     * The RST|ACK that refuses {@code syn}: addresses and ports swapped, seq 0, and ack covering
     * everything the SYN occupied in sequence space (SYN, payload, FIN).
     */
    public static int tcpResetForSyn(ByteBuffer out, int off, PacketView syn) {
        if (!syn.isTcp()) {
            throw new IllegalArgumentException("not a TCP packet");
        }
        int addrLength = syn.addrLength();
        begin(out, off, addrLength, TCP_HEADER);
        copyAddresses(out, off, syn, syn.dstAddrOffset(), syn.srcAddrOffset());
        int flags = syn.tcpFlags();
        long ack = syn.tcpSeq() + syn.payloadLength()
                + ((flags & PacketView.SYN) != 0 ? 1 : 0)
                + ((flags & PacketView.FIN) != 0 ? 1 : 0);
        return writeTcp(out, off, addrLength, syn.dstPort(), syn.srcPort(), 0, ack,
                PacketView.RST | PacketView.ACK, 0, 0);
    }

    /**
     * An ICMP destination unreachable sent from {@code fromAddr} to the source of {@code
     * offending}. {@code reason} is {@link #UNREACHABLE_HOST} or {@link #UNREACHABLE_PORT}. IPv4
     * quotes the offending IP header and the first 8 bytes after it; ICMPv6 quotes as much of the
     * offending packet as keeps the answer within 1280 bytes. Whether an error may be sent at all
     * (never about ICMP errors, broadcasts, ...) is the caller's decision.
     */
    public static int icmpUnreachable(
            ByteBuffer out, int off, PacketView offending, byte[] fromAddr, int reason) {
        int addrLength = offending.addrLength();
        if (fromAddr.length != addrLength) {
            throw new IllegalArgumentException("address length must be " + addrLength);
        }
        boolean v4 = addrLength == 4;
        int type = v4 ? 3 : 1;
        int code = switch (reason) {
            case UNREACHABLE_HOST -> v4 ? 1 : 3;
            case UNREACHABLE_PORT -> v4 ? 3 : 4;
            default -> throw new IllegalArgumentException("unknown unreachable reason " + reason);
        };
        int quoteLength = v4
                ? Math.min(offending.totalLength(), offending.ipHeaderLength() + 8)
                : Math.min(offending.totalLength(), IPV6_MIN_MTU - IPV6_HEADER - ICMP_HEADER);
        int l4Length = ICMP_HEADER + quoteLength;
        int l4 = begin(out, off, addrLength, l4Length);
        out.put(sourceAt(off, addrLength), fromAddr, 0, addrLength);
        out.put(destinationAt(off, addrLength), offending.buffer(), offending.srcAddrOffset(), addrLength);
        out.put(l4 + ICMP_HEADER, offending.buffer(), offending.offset(), quoteLength);
        int protocol = v4 ? IpProtocol.ICMP : IpProtocol.ICMPV6;
        writeIpHeader(out, off, addrLength, protocol, l4Length);
        put8(out, l4, type);
        put8(out, l4 + 1, code);
        put16(out, l4 + 2, 0);
        put32(out, l4 + 4, 0);
        writeIcmpChecksum(out, off, addrLength, l4, l4Length);
        return l4 - off + l4Length;
    }

    /** The echo reply to an ICMP echo request (type 8) or ICMPv6 echo request (type 128). */
    public static int icmpEchoReply(ByteBuffer out, int off, PacketView echoRequest) {
        if (!echoRequest.isIcmp() || echoRequest.icmpType() != (echoRequest.ipVersion() == 4 ? 8 : 128)) {
            throw new IllegalArgumentException("not an echo request");
        }
        byte[] requester = new byte[echoRequest.addrLength()];
        byte[] asked = new byte[echoRequest.addrLength()];
        echoRequest.copySrcAddr(requester);
        echoRequest.copyDstAddr(asked);
        ByteBuffer data = echoRequest.buffer().duplicate().limit(echoRequest.payloadOffset() + echoRequest.payloadLength())
                .position(echoRequest.payloadOffset());
        return icmpEchoReply(out, off, asked, requester, echoRequest.icmpEchoIdentifier(),
                echoRequest.icmpEchoSequence(), data);
    }

    /**
     * An ICMP echo reply (ICMPv6 for 16-byte addresses) from {@code srcAddr} to {@code dstAddr} with
     * the given identifier and sequence number, carrying {@code payload} from its position to its
     * limit (left unchanged): a reply the network gave, handed back under the child's identifier.
     */
    public static int icmpEchoReply(ByteBuffer out, int off, byte[] srcAddr, byte[] dstAddr, int identifier,
                                    int sequence, ByteBuffer payload) {
        int addrLength = addressPair(srcAddr, dstAddr);
        int payloadLength = payload.remaining();
        int l4Length = ICMP_HEADER + payloadLength;
        int l4 = begin(out, off, addrLength, l4Length);
        putAddresses(out, off, srcAddr, dstAddr);
        writeIpHeader(out, off, addrLength, addrLength == 4 ? IpProtocol.ICMP : IpProtocol.ICMPV6, l4Length);
        put8(out, l4, addrLength == 4 ? 0 : 129);
        put8(out, l4 + 1, 0);
        put16(out, l4 + 2, 0);
        put16(out, l4 + 4, identifier & 0xffff);
        put16(out, l4 + 6, sequence & 0xffff);
        out.put(l4 + ICMP_HEADER, payload, payload.position(), payloadLength);
        writeIcmpChecksum(out, off, addrLength, l4, l4Length);
        return l4 - off + l4Length;
    }

    /** Checks the packet fits and returns the absolute L4 offset. */
    private static int begin(ByteBuffer out, int off, int addrLength, int l4Length) {
        int headerLength = addrLength == 4 ? IPV4_HEADER : IPV6_HEADER;
        int maxL4 = addrLength == 4 ? 0xffff - IPV4_HEADER : 0xffff;
        if (l4Length > maxL4) {
            throw new IllegalArgumentException("packet too large: " + l4Length);
        }
        Objects.checkFromIndexSize(off, headerLength + l4Length, out.limit());
        return off + headerLength;
    }

    private static int addressPair(byte[] src, byte[] dst) {
        if (src.length != dst.length || (src.length != 4 && src.length != 16)) {
            throw new IllegalArgumentException("addresses must both be 4 or both be 16 bytes");
        }
        return src.length;
    }

    private static int port(int port) {
        if ((port & ~0xffff) != 0) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    private static int sourceAt(int off, int addrLength) {
        return off + (addrLength == 4 ? 12 : 8);
    }

    private static int destinationAt(int off, int addrLength) {
        return off + (addrLength == 4 ? 16 : 24);
    }

    private static void putAddresses(ByteBuffer out, int off, byte[] src, byte[] dst) {
        out.put(sourceAt(off, src.length), src, 0, src.length);
        out.put(destinationAt(off, dst.length), dst, 0, dst.length);
    }

    private static void copyAddresses(ByteBuffer out, int off, PacketView from, int srcAt, int dstAt) {
        int addrLength = from.addrLength();
        out.put(sourceAt(off, addrLength), from.buffer(), srcAt, addrLength);
        out.put(destinationAt(off, addrLength), from.buffer(), dstAt, addrLength);
    }

    /** Fills in the IP header around the addresses, which must already be in place. */
    private static void writeIpHeader(ByteBuffer out, int off, int addrLength, int protocol, int l4Length) {
        if (addrLength == 4) {
            put8(out, off, 0x45);
            put8(out, off + 1, 0);
            put16(out, off + 2, IPV4_HEADER + l4Length);
            put16(out, off + 4, 0);
            put16(out, off + 6, 0x4000);
            put8(out, off + 8, TTL);
            put8(out, off + 9, protocol);
            Rewriter.updateIpv4HeaderChecksum(out, off, IPV4_HEADER);
        } else {
            put32(out, off, 0x6000_0000L);
            put16(out, off + 4, l4Length);
            put8(out, off + 6, protocol);
            put8(out, off + 7, TTL);
        }
    }

    /** Writes the TCP header after addresses and payload are in place; returns the packet length. */
    private static int writeTcp(
            ByteBuffer out, int off, int addrLength, int srcPort, int dstPort, long seq, long ack,
            int flags, int window, int payloadLength) {
        int l4Length = TCP_HEADER + payloadLength;
        writeIpHeader(out, off, addrLength, IpProtocol.TCP, l4Length);
        int l4 = off + (addrLength == 4 ? IPV4_HEADER : IPV6_HEADER);
        put16(out, l4, port(srcPort));
        put16(out, l4 + 2, port(dstPort));
        put32(out, l4 + 4, seq);
        put32(out, l4 + 8, ack);
        put8(out, l4 + 12, (TCP_HEADER / 4) << 4);
        put8(out, l4 + 13, flags);
        put16(out, l4 + 14, window);
        put16(out, l4 + 16, 0);
        put16(out, l4 + 18, 0);
        int sum = pseudoHeader(out, off, addrLength, IpProtocol.TCP, l4Length);
        put16(out, l4 + 16, Checksum.finish(Checksum.sum(out, l4, l4Length, sum)));
        return l4 - off + l4Length;
    }

    private static void writeIcmpChecksum(ByteBuffer out, int off, int addrLength, int l4, int l4Length) {
        int sum = addrLength == 4 ? 0 : pseudoHeader(out, off, addrLength, IpProtocol.ICMPV6, l4Length);
        put16(out, l4 + 2, Checksum.finish(Checksum.sum(out, l4, l4Length, sum)));
    }

    private static int pseudoHeader(ByteBuffer out, int off, int addrLength, int protocol, int l4Length) {
        return Checksum.pseudoHeader(
                out, sourceAt(off, addrLength), destinationAt(off, addrLength), addrLength, protocol, l4Length);
    }
}
