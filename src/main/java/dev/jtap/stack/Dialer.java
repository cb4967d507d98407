package dev.jtap.stack;

/**
 * Connects upstream for a child's SYN before the SYN is let through ("dial first"), so that a
 * refused or unreachable destination looks to the child exactly as it would without jtap.
 */
public interface Dialer {
    /** Starts connecting to {@code flow.target()}; reports once, from any thread. */
    void dial(TcpFlow flow, Outcome outcome);

    /** Called when the NAT entry of a flow that was connected is dropped before the child arrived. */
    void abandon(TcpFlow flow);

    /** What became of a dial. */
    interface Outcome {
        void connected();

        void refused();

        void unreachable();

        void timedOut();
    }
}
