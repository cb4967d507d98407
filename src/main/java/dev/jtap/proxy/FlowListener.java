package dev.jtap.proxy;

import dev.jtap.linux.ErrnoException;
import dev.jtap.linux.OriginalDestination;
import dev.jtap.stack.NatTable;
import dev.jtap.stack.TcpFlow;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The listener inside the namespace where the child's connections arrive: the packet loop
 * NAT-rewrites them to come from the NAT address, or the namespace's kernel NAT redirects them with
 * the child's own address. It listens on a small range of ports so the kernel's NAT can keep apart
 * two connections that share a child port (to different destinations). A connection is accepted only
 * from the admitted address and with a live flow behind it; anything else (e.g. the child connecting
 * to the listener directly) is closed at once.
 */
public final class FlowListener implements AutoCloseable {
    /** Above the kernel's default ephemeral range, so the child's own connections never take them. */
    public static final int FIRST_PORT = 61000;
    public static final int PORTS = 16;

    private static final AttributeKey<TcpFlow> FLOW = AttributeKey.valueOf(FlowListener.class, "flow");

    private final NatTable nat;
    private final List<Channel> channels = new ArrayList<>();
    private volatile Admission admission = new Admission(null, null, false);

    /** Who may connect: the peer address per family, and whether the kernel's NAT or jtap's rewrote them. */
    private record Admission(InetAddress v4, InetAddress v6, boolean kernelNat) {
    }

    private FlowListener(NatTable nat) {
        this.nat = nat;
    }

    /**
     * Binds on the child's addresses; must run on the namespace thread so the sockets are created
     * inside. {@code accepted} gets each admitted connection with its flow.
     */
    public static FlowListener bind(RelayEventLoops group, InetAddress childV4, InetAddress childV6, NatTable nat,
                                    BiConsumer<SocketChannel, TcpFlow> accepted) throws InterruptedException {
        FlowListener listener = new FlowListener(nat);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Relay.WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Relay.READS)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        TcpFlow flow = channel.attr(FLOW).get();
                        if (flow == null || !flow.claimUpstream()) {
                            channel.config().setOption(ChannelOption.SO_LINGER, 0);
                            channel.close();
                            return;
                        }
                        accepted.accept(channel, flow);
                    }
                });
        group.steerAccepted(listener::upstreamLoopOf);
        List<ChannelFuture> binds = new ArrayList<>();
        for (int port = FIRST_PORT; port < FIRST_PORT + PORTS; port++) {
            binds.add(bootstrap.bind(childV4, port));
            binds.add(bootstrap.bind(childV6, port));
        }
        try {
            for (ChannelFuture bind : binds) {
                listener.channels.add(bind.sync().channel());
            }
        } catch (RuntimeException | InterruptedException e) {
            binds.forEach(bind -> bind.channel().close());
            throw e;
        }
        return listener;
    }

    /** Finds the accepted channel's flow (kept on the channel for its initializer) and its upstream's loop. */
    private EventLoop upstreamLoopOf(Channel channel) {
        TcpFlow flow = channel instanceof SocketChannel accepted ? flowOf(accepted) : null;
        channel.attr(FLOW).set(flow);
        return flow != null && flow.upstream() instanceof Channel upstream ? upstream.eventLoop() : null;
    }

    private TcpFlow flowOf(SocketChannel channel) {
        InetSocketAddress peer = channel.remoteAddress();
        int version = peer.getAddress() instanceof Inet4Address ? 4 : 6;
        Admission admitted = admission;
        if (!peer.getAddress().equals(version == 4 ? admitted.v4() : admitted.v6())) {
            return null;
        }
        if (!admitted.kernelNat()) {
            return nat.byNatPort(version, peer.getPort());
        }
        try {
            int fd = ((EpollSocketChannel) channel).fd().intValue();
            return nat.byOriginalDestination(OriginalDestination.of(fd, version), peer.getPort());
        } catch (ErrnoException e) {
            return null; // no NAT state: the connection was not redirected
        }
    }

    /** From now on, admits connections from {@code v4} or {@code v6} that the packet loop rewrote. */
    public void admitRewrittenFrom(InetAddress v4, InetAddress v6) {
        admission = new Admission(v4, v6, false);
    }

    /** From now on, admits connections from {@code v4} or {@code v6} that the kernel's NAT redirected. */
    public void admitKernelNattedFrom(InetAddress v4, InetAddress v6) {
        admission = new Admission(v4, v6, true);
    }

    /** The port the packet loop rewrites to, the first of the listener's range. */
    public int port() {
        return FIRST_PORT;
    }

    public int lastPort() {
        return FIRST_PORT + PORTS - 1;
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
    }
}
