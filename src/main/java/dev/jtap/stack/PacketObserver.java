package dev.jtap.stack;

import java.nio.ByteBuffer;

/**
 * Sees the child's traffic as the child sees it, for captures and DNS display. Called on the
 * packet loop thread; implementations must be quick and must not keep the buffer.
 */
public interface PacketObserver {
    PacketObserver NONE = new PacketObserver() { };

    /** A packet the child sent ({@code toChild} false) or received, from its IP header on. */
    default void packet(ByteBuffer buffer, int offset, int length, boolean toChild) {
    }

    /** A DNS message the child sent to a resolver. */
    default void dnsQuery(byte[] message) {
    }

    /** A DNS message a resolver (or jtap, for the host alias) sent back to the child. */
    default void dnsResponse(byte[] message) {
    }

    /** A TCP flow ended: {@code outcome} is closed (after relaying), refused, unreachable or timeout. */
    default void tcpFlow(TcpFlow flow, String outcome) {
    }
}
