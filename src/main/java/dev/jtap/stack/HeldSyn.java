package dev.jtap.stack;

/**
 * A child's SYN held while jtap dials the destination, and how to release it once the dial's
 * outcome is known: through the TUN (rewritten towards the listener) or through the kernel's
 * netfilter queue (a verdict, the kernel's own NAT taking it to the listener).
 */
interface HeldSyn {
    /** The destination accepted: let the connection reach jtap's listener. */
    void admit(TcpFlow flow);

    /** The destination refused: the child gets a reset. */
    void refuse();

    /** No route to the destination: the child gets ICMP host unreachable. */
    void unreachable();

    /** The dial timed out: the SYN vanishes, as into a silent network. */
    void drop();
}
