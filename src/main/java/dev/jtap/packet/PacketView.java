package dev.jtap.packet;

import static dev.jtap.packet.Bytes.u16;
import static dev.jtap.packet.Bytes.u32;
import static dev.jtap.packet.Bytes.u8;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * A reusable parsed view of one IPv4 or IPv6 packet lying in a buffer. {@link #parse} validates
 * the headers and records where things are; the accessors then read fields straight from the
 * buffer, so they reflect in-place rewrites. After {@code parse} returns false only {@link
 * #dropReason()} is meaningful. Accessors for fields the protocol does not have return -1.
 *
 * <p>The view never changes the buffer's position or limit and never reads outside the region
 * given to {@code parse}. One instance is meant to be reused for every packet of a loop.
 */
public final class PacketView {
    public static final int FIN = 1;
    public static final int SYN = 2;
    public static final int RST = 4;
    public static final int PSH = 8;
    public static final int ACK = 16;
    public static final int URG = 32;
    public static final int ECE = 64;
    public static final int CWR = 128;

    private static final int IPV4_MIN_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_MIN_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int ICMP_HEADER = 8;

    private ByteBuffer buf;
    private int offset;
    private DropReason dropReason = DropReason.NONE;
    private int ipVersion;
    private int protocol;
    private int totalLength;
    private int l4Offset;
    private int l4Length;
    private int payloadOffset;
    private int srcAddrOffset;
    private int dstAddrOffset;
    private int addrLength;

    /**
     * Parses the packet in {@code buf[offset, offset+length)}. Bytes after the IP total length are
     * ignored. Returns false, with {@link #dropReason()} set, for anything malformed or
     * unsupported; never throws.
     */
    public boolean parse(ByteBuffer buf, int offset, int length) {
        clear();
        this.buf = buf;
        this.offset = offset;
        if (buf == null || offset < 0 || length < 0 || offset > buf.limit() - length) {
            return drop(DropReason.INVALID_BOUNDS);
        }
        if (length == 0) {
            return drop(DropReason.TRUNCATED);
        }
        return switch (u8(buf, offset) >>> 4) {
            case 4 -> parseV4(length);
            case 6 -> parseV6(length);
            default -> drop(DropReason.BAD_VERSION);
        };
    }

    private boolean parseV4(int length) {
        if (length < IPV4_MIN_HEADER) {
            return drop(DropReason.TRUNCATED);
        }
        int headerLength = (u8(buf, offset) & 0x0f) * 4;
        if (headerLength < IPV4_MIN_HEADER) {
            return drop(DropReason.BAD_HEADER_LENGTH);
        }
        int total = u16(buf, offset + 2);
        if (total < headerLength || total > length) {
            return drop(DropReason.BAD_TOTAL_LENGTH);
        }
        int moreFragmentsAndOffset = u16(buf, offset + 6) & 0x3fff;
        if (moreFragmentsAndOffset != 0) {
            return drop(DropReason.FRAGMENT);
        }
        ipVersion = 4;
        protocol = u8(buf, offset + 9);
        totalLength = total;
        addrLength = 4;
        srcAddrOffset = offset + 12;
        dstAddrOffset = offset + 16;
        l4Offset = offset + headerLength;
        return parseL4(offset + total);
    }

    private boolean parseV6(int length) {
        if (length < IPV6_HEADER) {
            return drop(DropReason.TRUNCATED);
        }
        int total = IPV6_HEADER + u16(buf, offset + 4);
        if (total > length) {
            return drop(DropReason.BAD_TOTAL_LENGTH);
        }
        int end = offset + total;
        int next = u8(buf, offset + 6);
        int pos = offset + IPV6_HEADER;
        while (true) {
            switch (next) {
                case IpProtocol.HOP_BY_HOP, IpProtocol.ROUTING, IpProtocol.DESTINATION_OPTIONS -> {
                    if (end - pos < 8) {
                        return drop(DropReason.TRUNCATED);
                    }
                    int extLength = (u8(buf, pos + 1) + 1) * 8;
                    if (end - pos < extLength) {
                        return drop(DropReason.TRUNCATED);
                    }
                    next = u8(buf, pos);
                    pos += extLength;
                }
                case IpProtocol.FRAGMENT -> {
                    return drop(DropReason.FRAGMENT);
                }
                case IpProtocol.AUTHENTICATION, IpProtocol.MOBILITY, IpProtocol.HIP, IpProtocol.SHIM6 -> {
                    return drop(DropReason.UNSUPPORTED_EXTENSION);
                }
                default -> {
                    ipVersion = 6;
                    protocol = next;
                    totalLength = total;
                    addrLength = 16;
                    srcAddrOffset = offset + 8;
                    dstAddrOffset = offset + 24;
                    l4Offset = pos;
                    return parseL4(end);
                }
            }
        }
    }

    private boolean parseL4(int end) {
        l4Length = end - l4Offset;
        payloadOffset = l4Offset;
        if (isTcp()) {
            if (l4Length < TCP_MIN_HEADER) {
                return drop(DropReason.TRUNCATED);
            }
            int dataOffset = (u8(buf, l4Offset + 12) >>> 4) * 4;
            if (dataOffset < TCP_MIN_HEADER) {
                return drop(DropReason.BAD_HEADER_LENGTH);
            }
            if (dataOffset > l4Length) {
                return drop(DropReason.TRUNCATED);
            }
            payloadOffset = l4Offset + dataOffset;
        } else if (isUdp()) {
            if (l4Length < UDP_HEADER) {
                return drop(DropReason.TRUNCATED);
            }
            int udpLength = u16(buf, l4Offset + 4);
            if (udpLength < UDP_HEADER || udpLength > l4Length) {
                return drop(DropReason.BAD_UDP_LENGTH);
            }
            l4Length = udpLength;
            payloadOffset = l4Offset + UDP_HEADER;
        } else if (isIcmp()) {
            if (l4Length < ICMP_HEADER) {
                return drop(DropReason.TRUNCATED);
            }
            payloadOffset = l4Offset + ICMP_HEADER;
        }
        return true;
    }

    private void clear() {
        dropReason = DropReason.NONE;
        ipVersion = 0;
        protocol = -1;
        totalLength = 0;
        l4Offset = 0;
        l4Length = 0;
        payloadOffset = 0;
        srcAddrOffset = 0;
        dstAddrOffset = 0;
        addrLength = 0;
    }

    private boolean drop(DropReason reason) {
        clear();
        dropReason = reason;
        return false;
    }

    public DropReason dropReason() {
        return dropReason;
    }

    /** The buffer given to the last {@link #parse}. */
    public ByteBuffer buffer() {
        return buf;
    }

    /** Absolute offset of the IP header in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    public int ipVersion() {
        return ipVersion;
    }

    /** The upper-layer protocol (after any IPv6 extension headers). */
    public int protocol() {
        return protocol;
    }

    public boolean isTcp() {
        return protocol == IpProtocol.TCP;
    }

    public boolean isUdp() {
        return protocol == IpProtocol.UDP;
    }

    /** ICMP in IPv4 or ICMPv6 in IPv6. */
    public boolean isIcmp() {
        return ipVersion == 4 ? protocol == IpProtocol.ICMP : protocol == IpProtocol.ICMPV6;
    }

    /** Bytes from the IP header start to the L4 header: IPv4 header with options, or IPv6 header plus extension headers. */
    public int ipHeaderLength() {
        return l4Offset - offset;
    }

    /** The IP packet length from its header (IPv6: 40 + payload length); trailing padding excluded. */
    public int totalLength() {
        return totalLength;
    }

    public int l4Offset() {
        return l4Offset;
    }

    /** Length of the L4 segment; for UDP, the UDP length field. */
    public int l4Length() {
        return l4Length;
    }

    public int srcAddrOffset() {
        return srcAddrOffset;
    }

    public int dstAddrOffset() {
        return dstAddrOffset;
    }

    /** 4 for IPv4, 16 for IPv6. */
    public int addrLength() {
        return addrLength;
    }

    public int srcPort() {
        return hasPorts() ? u16(buf, l4Offset) : -1;
    }

    public int dstPort() {
        return hasPorts() ? u16(buf, l4Offset + 2) : -1;
    }

    public int tcpFlags() {
        return isTcp() ? u8(buf, l4Offset + 13) : -1;
    }

    public long tcpSeq() {
        return isTcp() ? u32(buf, l4Offset + 4) : -1;
    }

    public long tcpAck() {
        return isTcp() ? u32(buf, l4Offset + 8) : -1;
    }

    public int tcpWindow() {
        return isTcp() ? u16(buf, l4Offset + 14) : -1;
    }

    public int tcpHeaderLength() {
        return isTcp() ? payloadOffset - l4Offset : -1;
    }

    /** Data after the TCP/UDP/ICMP header; for other protocols the whole L4 part. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return l4Length - (payloadOffset - l4Offset);
    }

    public int icmpType() {
        return isIcmp() ? u8(buf, l4Offset) : -1;
    }

    public int icmpCode() {
        return isIcmp() ? u8(buf, l4Offset + 1) : -1;
    }

    /** The identifier of an ICMP echo request or reply (the message must be one). */
    public int icmpEchoIdentifier() {
        return u16(buf, l4Offset + 4);
    }

    /** The sequence number of an ICMP echo request or reply (the message must be one). */
    public int icmpEchoSequence() {
        return u16(buf, l4Offset + 6);
    }

    /** Absolute offset of the TCP/UDP/ICMP checksum field, or -1 for other protocols. */
    public int l4ChecksumOffset() {
        if (isTcp()) {
            return l4Offset + 16;
        }
        if (isUdp()) {
            return l4Offset + 6;
        }
        return isIcmp() ? l4Offset + 2 : -1;
    }

    private boolean hasPorts() {
        return isTcp() || isUdp();
    }

    /** Copies the source address into {@code into[0, addrLength())}. */
    public void copySrcAddr(byte[] into) {
        buf.get(srcAddrOffset, into, 0, addrLength);
    }

    /** Copies the destination address into {@code into[0, addrLength())}. */
    public void copyDstAddr(byte[] into) {
        buf.get(dstAddrOffset, into, 0, addrLength);
    }

    /** The source address as an object; allocates, so keep it off the hot path. */
    public InetAddress srcAddress() {
        return toInetAddress(srcAddrOffset);
    }

    /** The destination address as an object; allocates, so keep it off the hot path. */
    public InetAddress dstAddress() {
        return toInetAddress(dstAddrOffset);
    }

    private InetAddress toInetAddress(int at) {
        byte[] addr = new byte[addrLength];
        buf.get(at, addr, 0, addrLength);
        try {
            // Inet6Address keeps IPv4-mapped addresses as IPv6, unlike InetAddress.getByAddress.
            return addrLength == 4 ? Inet4Address.getByAddress(addr) : Inet6Address.getByAddress(null, addr, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("no parsed packet", e);
        }
    }

    /** Verifies the IPv4 header checksum; true for IPv6, which has none. */
    public boolean ipHeaderChecksumValid() {
        return ipVersion != 4 || Checksum.fold(Checksum.sum(buf, offset, ipHeaderLength(), 0)) == 0xffff;
    }

    /**
     * Verifies the TCP, UDP, ICMP or ICMPv6 checksum (false for other protocols). An IPv4 UDP
     * checksum of 0 means "none" and counts as valid. Parsing never calls this: packets from
     * the TUN device carry kernel-made checksums.
     */
    public boolean l4ChecksumValid() {
        if (ipVersion == 4 && protocol == IpProtocol.ICMP) {
            return Checksum.fold(Checksum.sum(buf, l4Offset, l4Length, 0)) == 0xffff;
        }
        if (!(hasPorts() || isIcmp())) {
            return false;
        }
        if (ipVersion == 4 && isUdp() && u16(buf, l4Offset + 6) == 0) {
            return true;
        }
        int sum = Checksum.pseudoHeader(buf, srcAddrOffset, dstAddrOffset, addrLength, protocol, l4Length);
        return Checksum.fold(Checksum.sum(buf, l4Offset, l4Length, sum)) == 0xffff;
    }
}
