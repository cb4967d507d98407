package dev.jtap.stack;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection of the child, from its SYN until the NAT entry expires. {@code remote} is the
 * address the child dialled; {@code target} the address jtap dialled for it (the host alias maps
 * to loopback, the gateway's port 53 to the host's resolver).
 */
public final class TcpFlow {
    enum State { DIALING, ESTABLISHED, CLOSED }

    private final long id;
    private final int ipVersion;
    private final InetSocketAddress child;
    private final InetSocketAddress remote;
    private final InetSocketAddress target;
    final byte[] remoteAddress;
    State state = State.DIALING;
    int natPort = -1;
    long closedAtNanos;
    HeldSyn heldSyn;
    private volatile Object upstream;
    private final AtomicBoolean accepted = new AtomicBoolean();
    private volatile long bytesFromChild;
    private volatile long bytesToChild;

    TcpFlow(long id, int ipVersion, InetSocketAddress child, InetSocketAddress remote, InetSocketAddress target) {
        this.id = id;
        this.ipVersion = ipVersion;
        this.child = child;
        this.remote = remote;
        this.target = target;
        this.remoteAddress = remote.getAddress().getAddress();
    }

    public long id() {
        return id;
    }

    public int ipVersion() {
        return ipVersion;
    }

    public int childPort() {
        return child.getPort();
    }

    /** The child's end of the connection. */
    public InetSocketAddress child() {
        return child;
    }

    /** Counts relayed payload bytes; called by the single thread that relays this flow. */
    public void countFromChild(long bytes) {
        bytesFromChild += bytes;
    }

    public void countToChild(long bytes) {
        bytesToChild += bytes;
    }

    public long bytesFromChild() {
        return bytesFromChild;
    }

    public long bytesToChild() {
        return bytesToChild;
    }

    /** Where the child believes it is connected. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Where jtap actually connected. */
    public InetSocketAddress target() {
        return target;
    }

    /** The connected upstream socket, set by the dialer before the SYN is let through. */
    public Object upstream() {
        return upstream;
    }

    /** True once, for the one accepted connection of a flow whose upstream is connected. */
    public boolean claimUpstream() {
        return upstream != null && accepted.compareAndSet(false, true);
    }

    public void attachUpstream(Object connection) {
        this.upstream = connection;
    }

    @Override
    public String toString() {
        return "tcp#" + id + " :" + child.getPort() + " -> " + remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }
}
