package dev.jtap.stack;

import dev.jtap.linux.ErrnoException;
import dev.jtap.linux.LibC;
import dev.jtap.linux.NetfilterQueue;
import dev.jtap.linux.NfqMessages;
import dev.jtap.linux.TunDevice;
import dev.jtap.packet.DropReason;
import dev.jtap.packet.PacketBuilder;
import dev.jtap.packet.PacketDescriber;
import dev.jtap.packet.PacketView;
import dev.jtap.packet.Rewriter;
import io.netty.channel.EventLoopGroup;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Reads every packet the child sends to the TUN and carries it on; the only writer of the TUN.
 * Runs on one platform thread in the host's network namespace. Other threads hand it work
 * (dial results, UDP replies, closed flows) through {@link #post}, which wakes it via an eventfd.
 *
 * <p>With a SYN gate (a netfilter queue inside the namespace that holds the child's TCP SYNs), the
 * loop reads the SYNs from the queue instead of the TUN and answers each with a verdict; the
 * namespace's kernel then takes the connection straight to the listener and no TCP segment crosses
 * the TUN. Without one, every TCP segment is NAT-rewritten here.
 */
public final class PacketLoop implements Runnable {
    private static final int BUFFER_SIZE = 65536 + 256;
    /** Every packet on the TUN starts with a virtio_net_hdr (IFF_VNET_HDR); IP begins after it. */
    private static final int IP = VirtioNetHeader.LENGTH;
    private static final int READ_BATCH = 64;
    private static final long SWEEP_NANOS = 1_000_000_000L;
    /** Marks on gated SYNs whose destination refused / could not be reached; the gate's rules answer them. */
    public static final int REFUSED_MARK = 1;
    public static final int UNREACHABLE_MARK = 2;
    /** What the loop polls, one slot each. */
    private static final int TUN_SLOT = 0;
    private static final int WAKE_SLOT = 1;
    private static final int SYN_GATE_SLOT = 2;
    private static final int PING_V4_SLOT = 3;
    private static final int PING_V6_SLOT = 4;
    private static final int POLL_SLOTS = 5;

    /** The eventfd increment, and per-thread errno space for the threads that wake the loop. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_LONG, 1L);
    private static final ThreadLocal<MemorySegment> WAKER_CALL_STATE =
            ThreadLocal.withInitial(() -> LibC.newCallState(Arena.global()));

    private final TunDevice tun;
    private final Addresses addresses;
    private final Dialer dialer;
    private final boolean allowQuic;
    private final PrintStream packetTrace;
    private final PacketObserver observer;
    private final NatTable nat;
    private final UdpRelay udp;
    private final HostAliasDns aliasDns;
    private final NetfilterQueue synGate;
    private final Consumer<NfqMessages.QueuedPacket> gatedSynHandler = this::handleGatedSyn;
    private final PacketStats stats = new PacketStats();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readSegment = arena.allocate(BUFFER_SIZE, 64);
    private final MemorySegment writeSegment = arena.allocate(BUFFER_SIZE, 64);
    private final ByteBuffer readBuffer = readSegment.asByteBuffer();
    private final ByteBuffer writeBuffer = writeSegment.asByteBuffer();
    private final PacketView view = new PacketView();
    private final PacketView heldView = new PacketView();
    private final FlowKey probe = new FlowKey();
    private final MemorySegment loopState = LibC.newCallState(arena);
    /** A struct pollfd (8 bytes) per slot; a descriptor of -1 (no SYN gate, no ping socket) is skipped. */
    private final MemorySegment pollFds = arena.allocate(POLL_SLOTS * 8, 8);
    private final PingRelay pings = PingRelay.open(arena);
    private final MemorySegment eventValue = arena.allocate(8, 8);
    private volatile boolean running = true;
    private long nextFlowId = 1;
    private long lastSweep = System.nanoTime();

    public PacketLoop(TunDevice tun, Addresses addresses, NatTable nat, Dialer dialer, EventLoopGroup udpGroup,
                      boolean allowQuic, PrintStream packetTrace, PacketObserver observer, NetfilterQueue synGate)
            throws ErrnoException {
        this.observer = observer;
        this.synGate = synGate;
        this.tun = tun;
        this.nat = nat;
        this.addresses = addresses;
        this.dialer = dialer;
        this.allowQuic = allowQuic;
        this.packetTrace = packetTrace;
        this.aliasDns = new HostAliasDns(addresses.hostAliasV4(), addresses.hostAliasV6());
        this.udp = new UdpRelay(udpGroup, (flow, data) -> post(() -> udpToChild(flow, data)),
                () -> stats.dropped++);
        this.wakeFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
    }

    /** Runs {@code task} on the loop thread soon; safe from any thread. */
    public void post(Runnable task) {
        tasks.add(task);
        if (wakeupPending.compareAndSet(false, true)) {
            LibC.write(WAKER_CALL_STATE.get(), wakeFd, ONE, 8);
        }
    }

    /** The relay of {@code flow} has ended; its NAT entry lingers for late segments, then goes. */
    public void flowClosed(TcpFlow flow) {
        post(() -> {
            nat.markClosed(flow, System.nanoTime());
            observer.tcpFlow(flow, "closed");
        });
    }

    public void stop() {
        running = false;
        post(() -> { });
    }

    public String statistics() {
        return stats + "; open tcp " + nat.size() + ", udp " + udp.size();
    }

    @Override
    public void run() {
        int[] fds = new int[POLL_SLOTS];
        fds[TUN_SLOT] = tun.fd();
        fds[WAKE_SLOT] = wakeFd;
        fds[SYN_GATE_SLOT] = synGate != null ? synGate.fd() : -1;
        fds[PING_V4_SLOT] = pings != null ? pings.fd(4) : -1;
        fds[PING_V6_SLOT] = pings != null ? pings.fd(6) : -1;
        for (int i = 0; i < fds.length; i++) {
            pollFds.set(JAVA_INT, i * 8L, fds[i]);
            pollFds.set(JAVA_SHORT, i * 8L + 4, LibC.POLLIN);
        }
        try {
            while (running) {
                for (int i = 0; i < fds.length; i++) {
                    pollFds.set(JAVA_SHORT, i * 8L + 6, (short) 0);
                }
                LibC.poll(loopState, pollFds, fds.length, 1000);
                if (ready(WAKE_SLOT)) {
                    LibC.read(loopState, wakeFd, eventValue, 8);
                    wakeupPending.set(false);
                }
                runTasks();
                readPackets();
                if (ready(SYN_GATE_SLOT)) {
                    readGatedSyns();
                }
                if (ready(PING_V4_SLOT) || ready(PING_V6_SLOT)) {
                    pings.receive(System.nanoTime(), this::pingReplyToChild);
                }
                sweep();
            }
        } finally {
            runTasks();
            for (TcpFlow flow : nat.established()) {
                observer.tcpFlow(flow, "closed"); // still open as jtap stops: reported with what it carried
            }
            udp.closeAll();
            if (pings != null) {
                pings.close();
            }
            LibC.close(wakeFd);
        }
    }

    /** Whether the last poll found the slot's descriptor readable (or in error). */
    private boolean ready(int slot) {
        return pollFds.get(JAVA_SHORT, slot * 8L + 6) != 0;
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            try {
                task.run();
            } catch (RuntimeException e) {
                stats.dropped++;
            }
        }
    }

    private void readPackets() {
        for (int i = 0; i < READ_BATCH; i++) {
            long n = tun.read(loopState, readSegment);
            if (n <= 0) {
                return;
            }
            stats.packetsFromTun++;
            try {
                handle((int) n);
            } catch (RuntimeException e) {
                stats.malformed(DropReason.NONE);
            }
        }
    }

    private void readGatedSyns() {
        for (int i = 0; i < READ_BATCH; i++) {
            int n = synGate.receive();
            if (n == 0) {
                return;
            }
            if (n < 0) {
                stats.dropped++; // ENOBUFS: the kernel lost queue messages; the child will retransmit
                continue;
            }
            NfqMessages.packets(synGate.received(), n, gatedSynHandler);
        }
    }

    private void handleGatedSyn(NfqMessages.QueuedPacket packet) {
        stats.packetsFromTun++;
        ByteBuffer buffer = synGate.received();
        QueuedSyn held = new QueuedSyn(packet.id());
        if (!view.parse(buffer, packet.payloadOffset(), packet.payloadLength()) || !view.isTcp()
                || !Addresses.sameAddress(addresses.child(view.ipVersion()), buffer, view.srcAddrOffset())) {
            stats.malformed(view.dropReason());
            held.drop();
            return;
        }
        probe.set(view.ipVersion(), buffer, view.dstAddrOffset(), view.dstPort(), view.srcPort());
        TcpFlow flow = nat.find(probe);
        if (flow == null || flow.state == TcpFlow.State.CLOSED) {
            if (flow != null) {
                nat.remove(flow);
            }
            startFlow(held);
        } else if (flow.state == TcpFlow.State.DIALING) {
            held.drop(); // a retransmission: the first SYN is still held
        } else {
            held.admit(flow); // a retransmission of an admitted SYN: the kernel's NAT knows it
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweep >= SWEEP_NANOS) {
            lastSweep = now;
            nat.expire(now);
            udp.expire(now);
        }
    }

    private void handle(int length) {
        readBuffer.clear();
        if (length < IP || !view.parse(readBuffer, IP, length - IP)) {
            stats.malformed(view.dropReason());
            return;
        }
        if (packetTrace != null) {
            packetTrace.println(PacketDescriber.describe(view));
        }
        if (view.isTcp()) {
            handleTcp(length);
        } else if (view.isUdp()) {
            handleUdp();
        } else if (view.isIcmp()) {
            handleIcmp();
        } else {
            stats.dropped++;
        }
    }

    private void handleTcp(int length) {
        int version = view.ipVersion();
        byte[] child = addresses.child(version);
        if (view.srcPort() == addresses.listenPort()
                && Addresses.sameAddress(child, readBuffer, view.srcAddrOffset())
                && Addresses.sameAddress(addresses.nat(version), readBuffer, view.dstAddrOffset())) {
            fromListener(version, child, length);
            return;
        }
        if (!Addresses.sameAddress(child, readBuffer, view.srcAddrOffset())) {
            stats.dropped++;
            return;
        }
        observer.packet(readBuffer, IP, length - IP, false);
        probe.set(version, readBuffer, view.dstAddrOffset(), view.dstPort(), view.srcPort());
        TcpFlow flow = nat.find(probe);
        boolean syn = (view.tcpFlags() & (PacketView.SYN | PacketView.ACK)) == PacketView.SYN;
        if (flow == null || (flow.state == TcpFlow.State.CLOSED && syn)) {
            if (flow != null) {
                nat.remove(flow);
            }
            if (syn) {
                byte[] packet = new byte[length];
                readBuffer.get(0, packet);
                startFlow(new TunSyn(packet));
            } else {
                stats.dropped++;
            }
            return;
        }
        if (flow.state == TcpFlow.State.DIALING) {
            return; // a retransmitted SYN while the dial is in progress
        }
        Rewriter.rewrite(view, addresses.nat(version), flow.natPort, child, addresses.listenPort(),
                VirtioNetHeader.needsChecksum(readBuffer, 0));
        writeToTun(readSegment, length);
    }

    private void fromListener(int version, byte[] child, int length) {
        TcpFlow flow = nat.byNatPort(version, view.dstPort());
        if (flow == null) {
            stats.dropped++;
            return;
        }
        Rewriter.rewrite(view, flow.remoteAddress, flow.remote().getPort(), child, flow.childPort(),
                VirtioNetHeader.needsChecksum(readBuffer, 0));
        observer.packet(readBuffer, IP, length - IP, true);
        writeToTun(readSegment, length);
    }

    /** A first SYN (in {@link #view}, its key in {@link #probe}): dial first, hold the SYN meanwhile. */
    private void startFlow(HeldSyn held) {
        InetSocketAddress remote = new InetSocketAddress(view.dstAddress(), view.dstPort());
        if (addresses.isGateway(remote.getAddress()) && remote.getPort() != 53) {
            held.refuse();
            return;
        }
        InetSocketAddress child = new InetSocketAddress(view.srcAddress(), view.srcPort());
        TcpFlow flow = new TcpFlow(nextFlowId++, view.ipVersion(), child, remote, addresses.target(remote));
        if (!nat.add(probe, flow)) {
            stats.dropped++;
            held.drop();
            return;
        }
        stats.tcpFlows++;
        flow.heldSyn = held;
        dialer.dial(flow, new Dialer.Outcome() {
            @Override
            public void connected() {
                post(() -> dialConnected(flow));
            }

            @Override
            public void refused() {
                post(() -> dialFailed(flow, true));
            }

            @Override
            public void unreachable() {
                post(() -> dialFailed(flow, false));
            }

            @Override
            public void timedOut() {
                post(() -> {
                    stats.timedOut++;
                    nat.remove(flow);
                    releaseHeldSyn(flow).drop();
                    observer.tcpFlow(flow, "timeout");
                });
            }
        });
    }

    private static HeldSyn releaseHeldSyn(TcpFlow flow) {
        HeldSyn held = flow.heldSyn;
        flow.heldSyn = null;
        return held != null ? held : NOTHING_HELD;
    }

    /** Files a connected flow where the listener will look for it; false when no NAT port is left. */
    private boolean route(TcpFlow flow) {
        if (synGate == null) {
            return nat.assignPort(flow);
        }
        nat.admitThroughKernel(flow);
        return true;
    }

    private void dialConnected(TcpFlow flow) {
        boolean routed = flow.state == TcpFlow.State.DIALING && route(flow);
        HeldSyn held = releaseHeldSyn(flow);
        if (!routed) {
            nat.remove(flow);
            dialer.abandon(flow);
            held.refuse();
            return;
        }
        flow.state = TcpFlow.State.ESTABLISHED;
        held.admit(flow);
    }

    private void dialFailed(TcpFlow flow, boolean refused) {
        nat.remove(flow);
        if (flow.state != TcpFlow.State.DIALING) {
            return;
        }
        HeldSyn held = releaseHeldSyn(flow);
        if (refused) {
            stats.refused++;
            held.refuse();
        } else {
            stats.unreachable++;
            held.unreachable();
        }
        observer.tcpFlow(flow, refused ? "refused" : "unreachable");
    }

    private static final HeldSyn NOTHING_HELD = new HeldSyn() {
        @Override
        public void admit(TcpFlow flow) {
        }

        @Override
        public void refuse() {
        }

        @Override
        public void unreachable() {
        }

        @Override
        public void drop() {
        }
    };

    /** A SYN read from the TUN, kept as bytes; released by writing packets into the TUN. */
    private final class TunSyn implements HeldSyn {
        private final byte[] packet;

        TunSyn(byte[] packet) {
            this.packet = packet;
        }

        private PacketView parsed() {
            writeBuffer.clear();
            writeBuffer.put(0, packet);
            return heldView.parse(writeBuffer, IP, packet.length - IP) ? heldView : null;
        }

        @Override
        public void admit(TcpFlow flow) {
            PacketView syn = parsed();
            if (syn == null) {
                return;
            }
            int version = syn.ipVersion();
            Rewriter.rewrite(syn, addresses.nat(version), flow.natPort, addresses.child(version),
                    addresses.listenPort(), VirtioNetHeader.needsChecksum(writeBuffer, 0));
            writeToTun(writeSegment, IP + syn.totalLength());
        }

        @Override
        public void refuse() {
            PacketView syn = parsed();
            if (syn != null) {
                PacketLoop.this.refuse(syn);
            }
        }

        @Override
        public void unreachable() {
            PacketView syn = parsed();
            if (syn != null) {
                reportUnreachable(syn, PacketBuilder.UNREACHABLE_HOST);
            }
        }

        @Override
        public void drop() {
        }
    }

    /** A SYN held by the kernel in the netfilter queue; released by a verdict. */
    private final class QueuedSyn implements HeldSyn {
        private final int id;

        QueuedSyn(int id) {
            this.id = id;
        }

        @Override
        public void admit(TcpFlow flow) {
            synGate.verdict(id, NfqMessages.NF_ACCEPT, 0);
        }

        @Override
        public void refuse() {
            synGate.verdict(id, NfqMessages.NF_ACCEPT, REFUSED_MARK);
        }

        @Override
        public void unreachable() {
            synGate.verdict(id, NfqMessages.NF_ACCEPT, UNREACHABLE_MARK);
        }

        @Override
        public void drop() {
            synGate.verdict(id, NfqMessages.NF_DROP, 0);
        }
    }

    /** Answers a SYN with RST, as a host with a closed port does. */
    private void refuse(PacketView syn) {
        ByteBuffer out = syn.buffer() == writeBuffer ? readBuffer : writeBuffer;
        MemorySegment segment = out == writeBuffer ? writeSegment : readSegment;
        int length = PacketBuilder.tcpResetForSyn(out, IP, syn);
        writeBuiltToChild(segment, out, length);
    }

    private void reportUnreachable(PacketView offending, int reason) {
        ByteBuffer out = offending.buffer() == writeBuffer ? readBuffer : writeBuffer;
        MemorySegment segment = out == writeBuffer ? writeSegment : readSegment;
        byte[] from = new byte[offending.addrLength()];
        offending.copyDstAddr(from);
        int length = PacketBuilder.icmpUnreachable(out, IP, offending, from, reason);
        writeBuiltToChild(segment, out, length);
    }

    private void handleUdp() {
        int version = view.ipVersion();
        if (!Addresses.sameAddress(addresses.child(version), readBuffer, view.srcAddrOffset())) {
            stats.dropped++;
            return;
        }
        observer.packet(readBuffer, IP, view.totalLength(), false);
        InetAddress destination = view.dstAddress();
        int port = view.dstPort();
        ByteBuffer payload = readBuffer.duplicate().position(view.payloadOffset())
                .limit(view.payloadOffset() + view.payloadLength());
        if (addresses.isGateway(destination) && port == 53) {
            byte[] query = new byte[payload.remaining()];
            payload.get(payload.position(), query);
            observer.dnsQuery(query);
            if (answerLocally(payload)) {
                return;
            }
        }
        if (port == 443 && !allowQuic) {
            reportUnreachable(view, PacketBuilder.UNREACHABLE_PORT);
            return;
        }
        if (addresses.isGateway(destination) && port != 53) {
            reportUnreachable(view, PacketBuilder.UNREACHABLE_PORT);
            return;
        }
        stats.udpDatagrams++;
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        InetSocketAddress remote = new InetSocketAddress(destination, port);
        probe.set(version, readBuffer, view.dstAddrOffset(), port, view.srcPort());
        udp.send(probe, version, view.srcPort(), remote, addresses.target(remote), data, System.nanoTime());
    }

    private boolean answerLocally(ByteBuffer query) {
        ByteBuffer answer = ByteBuffer.allocate(512);
        if (!aliasDns.answer(query, answer)) {
            return false;
        }
        stats.dnsLocalAnswers++;
        byte[] response = new byte[answer.remaining()];
        answer.get(answer.position(), response);
        observer.dnsResponse(response);
        int version = view.ipVersion();
        byte[] gateway = new byte[view.addrLength()];
        view.copyDstAddr(gateway);
        int length = PacketBuilder.udp(writeBuffer.clear(), IP, gateway, 53, addresses.child(version),
                view.srcPort(), answer);
        writeBuiltToChild(writeSegment, writeBuffer, length);
        return true;
    }

    private void udpToChild(UdpFlow flow, byte[] data) {
        if (flow.remote.getPort() == 53 && addresses.isGateway(flow.remote.getAddress())) {
            observer.dnsResponse(data);
        }
        int length = PacketBuilder.udp(writeBuffer.clear(), IP, flow.remoteAddress, flow.remote.getPort(),
                addresses.child(flow.ipVersion), flow.childPort, ByteBuffer.wrap(data));
        writeBuiltToChild(writeSegment, writeBuffer, length);
    }

    private void handleIcmp() {
        int type = view.icmpType();
        boolean echoRequest = view.ipVersion() == 4 ? type == 8 : type == 128;
        if (!echoRequest) {
            stats.dropped++;
            return;
        }
        stats.icmpEchoes++;
        observer.packet(readBuffer, IP, view.totalLength(), false);
        int version = view.ipVersion();
        InetAddress destination = pings != null && pings.relays(version) ? view.dstAddress() : null;
        if (destination != null && !addresses.isGateway(destination)) {
            byte[] target = addresses.target(new InetSocketAddress(destination, 0)).getAddress().getAddress();
            if (pings.send(view, addresses.child(version), destination.getAddress(), target, System.nanoTime()) < 0) {
                reportUnreachable(view, PacketBuilder.UNREACHABLE_HOST); // the host has no route there either
            }
            return;
        }
        int length = PacketBuilder.icmpEchoReply(writeBuffer.clear(), IP, view);
        writeBuiltToChild(writeSegment, writeBuffer, length);
    }

    private void pingReplyToChild(PingRelay.Echo echo, ByteBuffer payload) {
        int length = PacketBuilder.icmpEchoReply(writeBuffer.clear(), IP, echo.remote(), echo.child(),
                echo.identifier(), echo.sequence(), payload);
        writeBuiltToChild(writeSegment, writeBuffer, length);
    }

    /** True when the child's pings go out through the host's ping sockets; false when jtap answers them. */
    public boolean relaysPings() {
        return pings != null;
    }

    /** Writes a packet jtap made for the child (IP length {@code ipLength}), with an empty virtio header. */
    private void writeBuiltToChild(MemorySegment segment, ByteBuffer buffer, int ipLength) {
        VirtioNetHeader.clear(buffer, 0);
        observer.packet(buffer, IP, ipLength, true);
        writeToTun(segment, IP + ipLength);
    }

    private void writeToTun(MemorySegment segment, int length) {
        if (packetTrace != null) {
            PacketView written = new PacketView();
            ByteBuffer bytes = segment.asByteBuffer();
            if (written.parse(bytes, IP, length - IP)) {
                packetTrace.println(PacketDescriber.describe(written));
            }
        }
        long n = tun.write(loopState, segment, length);
        if (n == length) {
            stats.packetsToTun++;
        } else {
            stats.dropped++;
        }
    }
}
