package dev.jtap.stack;

import dev.jtap.packet.DropReason;

import java.util.EnumMap;
import java.util.Map;

/** Counters of the packet loop, printed with -v. Written by the loop thread only. */
final class PacketStats {
    long packetsFromTun;
    long packetsToTun;
    long tcpFlows;
    long refused;
    long unreachable;
    long timedOut;
    long udpDatagrams;
    long dnsLocalAnswers;
    long icmpEchoes;
    long dropped;
    final Map<DropReason, Long> malformed = new EnumMap<>(DropReason.class);

    void malformed(DropReason reason) {
        malformed.merge(reason, 1L, Long::sum);
        dropped++;
    }

    @Override
    public String toString() {
        return "packets in " + packetsFromTun + ", out " + packetsToTun + "; tcp flows " + tcpFlows
                + " (refused " + refused + ", unreachable " + unreachable + ", timed out " + timedOut + ")"
                + "; udp datagrams " + udpDatagrams + "; local dns answers " + dnsLocalAnswers
                + "; icmp echoes " + icmpEchoes + "; dropped " + dropped
                + (malformed.isEmpty() ? "" : " " + malformed);
    }
}
