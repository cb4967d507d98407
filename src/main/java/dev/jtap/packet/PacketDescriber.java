package dev.jtap.packet;

import static dev.jtap.packet.Bytes.u16;
import static dev.jtap.packet.Bytes.u8;

import java.nio.ByteBuffer;

/** One-line, tcpdump-like descriptions of parsed packets for traces. */
public final class PacketDescriber {
    private PacketDescriber() {}

    private static final int[] FLAG_BITS = {
        PacketView.FIN, PacketView.SYN, PacketView.RST, PacketView.PSH,
        PacketView.ACK, PacketView.URG, PacketView.ECE, PacketView.CWR
    };
    private static final char[] FLAG_LETTERS = {'F', 'S', 'R', 'P', '.', 'U', 'E', 'W'};

    /**
     * For example {@code TCP 10.1.1.100:43210 > 93.184.216.34:443 [S] seq=123 ack=0 len=0},
     * {@code UDP [2001:db8::1]:5353 > [ff02::fb]:5353 len=40} or
     * {@code ICMP 10.0.0.1 > 10.0.0.2 type=8 code=0 len=56}. {@code len} is the L4 payload length.
     */
    public static String describe(PacketView v) {
        if (v.ipVersion() == 0) {
            return "invalid packet: " + v.dropReason();
        }
        StringBuilder s = new StringBuilder(96);
        if (v.isTcp()) {
            s.append("TCP ");
            endpoints(s, v, true);
            s.append(" [");
            appendFlags(s, v.tcpFlags());
            s.append("] seq=").append(v.tcpSeq()).append(" ack=").append(v.tcpAck());
        } else if (v.isUdp()) {
            s.append("UDP ");
            endpoints(s, v, true);
        } else if (v.isIcmp()) {
            s.append(v.ipVersion() == 4 ? "ICMP " : "ICMP6 ");
            endpoints(s, v, false);
            s.append(" type=").append(v.icmpType()).append(" code=").append(v.icmpCode());
        } else {
            s.append("IPv").append(v.ipVersion()).append(" proto=").append(v.protocol()).append(' ');
            endpoints(s, v, false);
        }
        return s.append(" len=").append(v.payloadLength()).toString();
    }

    private static void endpoints(StringBuilder s, PacketView v, boolean withPorts) {
        address(s, v, v.srcAddrOffset(), withPorts);
        if (withPorts) {
            s.append(':').append(v.srcPort());
        }
        s.append(" > ");
        address(s, v, v.dstAddrOffset(), withPorts);
        if (withPorts) {
            s.append(':').append(v.dstPort());
        }
    }

    private static void appendFlags(StringBuilder s, int flags) {
        if (flags == 0) {
            s.append("none");
            return;
        }
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) {
                s.append(FLAG_LETTERS[i]);
            }
        }
    }

    private static void address(StringBuilder s, PacketView v, int at, boolean bracketV6) {
        ByteBuffer b = v.buffer();
        if (v.addrLength() == 4) {
            s.append(u8(b, at)).append('.').append(u8(b, at + 1)).append('.')
                    .append(u8(b, at + 2)).append('.').append(u8(b, at + 3));
            return;
        }
        if (bracketV6) {
            s.append('[');
        }
        appendIpv6(s, b, at);
        if (bracketV6) {
            s.append(']');
        }
    }

    /** RFC 5952 text form: lower-case hex, longest run (of two or more) of zero groups as "::". */
    static void appendIpv6(StringBuilder s, ByteBuffer b, int at) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (u16(b, at + 2 * i) != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && u16(b, at + 2 * i) == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength) {
                s.append(':');
            }
            s.append(Integer.toHexString(u16(b, at + 2 * i)));
        }
    }
}
