package dev.jtap.stack;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The TCP NAT table. The packet loop owns it; the listener reads {@link #byNatPort} (flows the loop
 * rewrites) or {@link #byOriginalDestination} (flows the kernel's NAT redirects) from other threads
 * to match an accepted connection to its flow. NAT ports rotate through the whole range
 * so a port is reused only long after its last connection closed.
 */
public final class NatTable {
    static final int FIRST_PORT = 1024;
    private static final int PORTS = 65536;

    private final Map<FlowKey, TcpFlow> byKey = new HashMap<>();
    private final Map<TcpFlow, FlowKey> keys = new HashMap<>();
    private final AtomicReferenceArray<TcpFlow> v4ByPort = new AtomicReferenceArray<>(PORTS);
    private final AtomicReferenceArray<TcpFlow> v6ByPort = new AtomicReferenceArray<>(PORTS);
    private final Map<KernelNatKey, TcpFlow> kernelNatted = new ConcurrentHashMap<>();
    private final int capacity;
    private final long lingerNanos;
    private int nextV4 = FIRST_PORT;
    private int nextV6 = FIRST_PORT;

    private static final int DEFAULT_CAPACITY = 60000;
    private static final long DEFAULT_LINGER_NANOS = 15_000_000_000L;

    public NatTable() {
        this(DEFAULT_CAPACITY, DEFAULT_LINGER_NANOS);
    }

    NatTable(int capacity, long lingerNanos) {
        this.capacity = Math.min(capacity, PORTS - FIRST_PORT);
        this.lingerNanos = lingerNanos;
    }

    TcpFlow find(FlowKey probe) {
        return byKey.get(probe);
    }

    /** Adds a flow under a copy of {@code probe}; false when the table is full. */
    boolean add(FlowKey probe, TcpFlow flow) {
        if (byKey.size() >= capacity) {
            return false;
        }
        FlowKey key = probe.copy();
        byKey.put(key, flow);
        keys.put(flow, key);
        return true;
    }

    /** Gives the flow a NAT port; false when every port is taken. */
    boolean assignPort(TcpFlow flow) {
        AtomicReferenceArray<TcpFlow> ports = portsOf(flow.ipVersion());
        int next = flow.ipVersion() == 4 ? nextV4 : nextV6;
        for (int tries = 0; tries < PORTS - FIRST_PORT; tries++) {
            int port = next;
            next = next == PORTS - 1 ? FIRST_PORT : next + 1;
            if (ports.get(port) == null) {
                ports.set(port, flow);
                flow.natPort = port;
                if (flow.ipVersion() == 4) {
                    nextV4 = next;
                } else {
                    nextV6 = next;
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Files a flow that the namespace's kernel NAT takes to the listener, under what the accepted
     * connection shows of it: the child's port and the original destination.
     */
    void admitThroughKernel(TcpFlow flow) {
        TcpFlow previous = kernelNatted.put(new KernelNatKey(flow.remote(), flow.childPort()), flow);
        if (previous != null && previous != flow) {
            remove(previous); // the child reuses a (port, destination) pair only once its last connection is gone
        }
    }

    /** The flow behind a kernel-NATed connection, or null; safe from any thread. */
    public TcpFlow byOriginalDestination(InetSocketAddress originalDestination, int childPort) {
        return kernelNatted.get(new KernelNatKey(originalDestination, childPort));
    }

    /** The flow using a NAT port, or null; safe from any thread. */
    public TcpFlow byNatPort(int ipVersion, int natPort) {
        if (natPort < 0 || natPort >= PORTS) {
            return null;
        }
        return portsOf(ipVersion).get(natPort);
    }

    void remove(TcpFlow flow) {
        FlowKey key = keys.remove(flow);
        if (key != null) {
            byKey.remove(key);
        }
        forget(flow);
    }

    private void forget(TcpFlow flow) {
        if (flow.natPort >= 0) {
            portsOf(flow.ipVersion()).compareAndSet(flow.natPort, flow, null);
        }
        kernelNatted.remove(new KernelNatKey(flow.remote(), flow.childPort()), flow);
    }

    /** Marks a flow closed; its entry stays for the linger time so late segments still translate. */
    void markClosed(TcpFlow flow, long nowNanos) {
        if (flow.state != TcpFlow.State.CLOSED) {
            flow.state = TcpFlow.State.CLOSED;
            flow.closedAtNanos = nowNanos;
        }
    }

    /** Removes closed flows whose linger time is over; returns how many. */
    int expire(long nowNanos) {
        int removed = 0;
        Iterator<Map.Entry<TcpFlow, FlowKey>> it = keys.entrySet().iterator();
        while (it.hasNext()) {
            TcpFlow flow = it.next().getKey();
            if (flow.state == TcpFlow.State.CLOSED && nowNanos - flow.closedAtNanos >= lingerNanos) {
                FlowKey key = keys.get(flow);
                it.remove();
                byKey.remove(key);
                forget(flow);
                removed++;
            }
        }
        return removed;
    }

    /** Flows whose relay has not been reported closed yet. */
    java.util.List<TcpFlow> established() {
        return keys.keySet().stream().filter(flow -> flow.state == TcpFlow.State.ESTABLISHED).toList();
    }

    int size() {
        return byKey.size();
    }

    private AtomicReferenceArray<TcpFlow> portsOf(int ipVersion) {
        return ipVersion == 4 ? v4ByPort : v6ByPort;
    }

    private record KernelNatKey(InetSocketAddress originalDestination, int childPort) {
    }
}
