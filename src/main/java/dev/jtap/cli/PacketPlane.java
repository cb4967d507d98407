package dev.jtap.cli;

import dev.jtap.linux.NamespaceThread;
import dev.jtap.linux.NetfilterQueue;
import dev.jtap.proxy.Connections;
import dev.jtap.proxy.FlowListener;
import dev.jtap.proxy.Interception;
import dev.jtap.proxy.RelayEventLoops;
import dev.jtap.proxy.UpstreamDialer;
import dev.jtap.sandbox.NetworkPlan;
import dev.jtap.sandbox.Sandbox;
import dev.jtap.stack.Addresses;
import dev.jtap.stack.NatTable;
import dev.jtap.stack.PacketLoop;
import dev.jtap.stack.PacketObserver;
import dev.jtap.stack.Resolvers;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.EventExecutor;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Everything that carries the child's packets: the Netty event loops (started here, in the host's
 * namespace, before anything can inherit the sandbox's), the listener inside the namespace, and
 * the packet loop thread.
 */
final class PacketPlane implements AutoCloseable {
    /**
     * A loop per core, up to four: concurrent connections relay in parallel. Each connection's two
     * channels share one loop (see {@link FlowListener}), so a connection needs no locks and its
     * bytes never change threads.
     */
    private static final int EVENT_LOOP_THREADS = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);

    private final CompletableFuture<RelayEventLoops> startingGroup;
    private final String hostNamespace;
    private final NatTable nat = new NatTable();
    private FlowListener listener;
    private volatile Connections connections;
    private PacketLoop loop;
    private NetfilterQueue synGate;
    private Thread loopThread;
    private boolean closed;

    private PacketPlane(CompletableFuture<RelayEventLoops> startingGroup, String hostNamespace) {
        this.startingGroup = startingGroup;
        this.hostNamespace = hostNamespace;
    }

    /**
     * Starts the event loop threads on a thread of the host's namespace, in the background: Netty's
     * first use costs a noticeable part of jtap's start-up, and the sandbox can come up meanwhile.
     */
    static PacketPlane prepare() throws Exception {
        String hostNamespace = NamespaceThread.currentNetworkNamespace();
        return new PacketPlane(Background.start("jtap-netty-start", PacketPlane::startEventLoops), hostNamespace);
    }

    private static RelayEventLoops startEventLoops() throws InterruptedException {
        if (System.getProperty("io.netty.machineId") == null) {
            // Channel ids mix in 8 machine bytes; without them Netty reads every network interface
            // for a MAC address, a tenth of a second of jtap's start-up.
            byte[] machineId = new byte[8];
            new SecureRandom().nextBytes(machineId);
            System.setProperty("io.netty.machineId", HexFormat.ofDelimiter(":").formatHex(machineId));
        }
        RelayEventLoops group = new RelayEventLoops(EVENT_LOOP_THREADS, EpollIoHandler.newFactory());
        for (EventExecutor executor : group) {
            executor.submit(() -> { }).sync();
        }
        return group;
    }

    private RelayEventLoops group() throws Exception {
        return Background.await(startingGroup);
    }

    /**
     * Binds the listener inside the namespace and opens the kernel fast path for TCP: work that needs
     * neither the CA nor the observers, so it runs while the CA is still being made.
     */
    void open(Sandbox sandbox, Options options, Consumer<String> verbose) throws Exception {
        NetworkPlan plan = sandbox.plan();
        RelayEventLoops group = group();
        listener = sandbox.inside(() -> FlowListener.bind(group, plan.childV4(), plan.childV6(), nat,
                (channel, flow) -> connections.accepted(channel, flow))); // no flow before start()
        synGate = openSynGate(sandbox, listener, options, verbose);
        if (synGate != null) {
            listener.admitKernelNattedFrom(plan.childV4(), plan.childV6());
            verbose.accept("TCP SYNs held in the namespace's netfilter queue; connections go to the listener by kernel NAT");
        } else {
            listener.admitRewrittenFrom(plan.natV4(), plan.natV6());
        }
    }

    /** Starts carrying the child's packets, once {@link #open} has run. */
    void start(Sandbox sandbox, Options options, Interception interception, PacketObserver observer,
               PrintStream out, Consumer<String> verbose) throws Exception {
        NetworkPlan plan = sandbox.plan();
        RelayEventLoops group = group();
        InetSocketAddress resolver = options.dns != null ? Resolvers.parse(options.dns)
                : Resolvers.fromHost(Path.of("/etc/resolv.conf"));
        verbose.accept("DNS queries to the gateway go to " + resolver);
        PacketLoop[] loopRef = new PacketLoop[1];
        connections = new Connections(interception, flow -> loopRef[0].flowClosed(flow));
        Addresses addresses = new Addresses(plan.childV4(), plan.childV6(), plan.gatewayV4(), plan.gatewayV6(),
                plan.natV4(), plan.natV6(), plan.hostAliasV4(), plan.hostAliasV6(), listener.port(), resolver);
        loop = new PacketLoop(sandbox.tun(), addresses, nat, new UpstreamDialer(group), group,
                options.allowQuic, options.dumpTcp ? out : null, observer, synGate);
        loopRef[0] = loop;
        verbose.accept(loop.relaysPings() ? "ICMP echo goes out through the host's ping sockets"
                : "ICMP echo is answered by jtap: the host gives this user no ping sockets (net.ipv4.ping_group_range)");
        loopThread = Thread.ofPlatform().name("jtap-packets").daemon(true).start(() -> {
            try {
                if (!hostNamespace.equals(NamespaceThread.currentNetworkNamespace())) {
                    throw new IllegalStateException("packet loop is not in the host's network namespace");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            loop.run();
        });
        verbose.accept("packet loop running; listener on ports " + listener.port() + "-" + listener.lastPort());
    }

    /**
     * The kernel fast path for TCP, unless every packet must pass through jtap (--dump-tcp, --dump-pcap)
     * or this system lacks it; then TCP segments are NAT-rewritten by the packet loop.
     */
    private static NetfilterQueue openSynGate(Sandbox sandbox, FlowListener listener, Options options,
                                              Consumer<String> verbose) {
        if (options.dumpTcp || options.dumpPcap != null) {
            return null;
        }
        try {
            return sandbox.openSynGate(listener.port(), listener.lastPort(), PacketLoop.REFUSED_MARK,
                    PacketLoop.UNREACHABLE_MARK);
        } catch (Exception e) {
            verbose.accept("TCP through the TUN (no kernel fast path: " + e.getMessage() + ")");
            return null;
        }
    }

    String statistics() {
        return loop == null ? "" : loop.statistics();
    }

    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        if (loop != null) {
            loop.stop();
            loopThread.join(2000);
        }
        if (listener != null) {
            listener.close();
        }
        if (connections != null) {
            connections.closeAll(Duration.ofSeconds(1));
        }
        if (synGate != null) {
            synGate.close();
        }
        try {
            group().shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // the event loops never started: nothing to stop
        }
    }
}
