package dev.jtap.proxy;

import dev.jtap.stack.NatTable;
import dev.jtap.stack.TcpFlow;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * The listener inside the namespace where the kernel delivers the child's NAT-rewritten
 * connections. It accepts only peers with the expected address (the NAT address when the packet
 * loop rewrites, the child's own when the kernel's NAT does) and a live flow behind their port;
 * anything else (e.g. the child connecting to it directly) is closed at once.
 */
public final class FlowListener implements AutoCloseable {
    private final Channel v4;
    private final Channel v6;
    /** The admitted peer addresses, IPv4 then IPv6; none until {@link #admitPeersFrom}. */
    private volatile InetAddress[] peers = new InetAddress[0];

    private FlowListener(Channel v4, Channel v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    /**
     * Binds on the child's addresses; must run on the namespace thread so the sockets are created
     * inside. {@code accepted} gets each admitted connection with its flow.
     */
    public static FlowListener bind(EventLoopGroup group, InetAddress childV4, InetAddress childV6, NatTable nat,
                                    BiConsumer<SocketChannel, TcpFlow> accepted) throws InterruptedException {
        FlowListener[] listener = new FlowListener[1];
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
                        InetSocketAddress peer = channel.remoteAddress();
                        int version = peer.getAddress() instanceof Inet4Address ? 4 : 6;
                        InetAddress[] admitted = listener[0].peers;
                        InetAddress expected = admitted.length == 0 ? null : admitted[version == 4 ? 0 : 1];
                        TcpFlow flow = nat.byNatPort(version, peer.getPort());
                        if (!peer.getAddress().equals(expected) || flow == null || !flow.claimUpstream()) {
                            channel.config().setOption(ChannelOption.SO_LINGER, 0);
                            channel.close();
                            return;
                        }
                        accepted.accept(channel, flow);
                    }
                });
        Channel v4 = bootstrap.bind(childV4, 0).sync().channel();
        int port = ((InetSocketAddress) v4.localAddress()).getPort();
        Channel v6 = bootstrap.bind(childV6, port).sync().channel();
        listener[0] = new FlowListener(v4, v6);
        return listener[0];
    }

    /** From now on, admits connections whose peer is {@code v4} or {@code v6} with a live flow. */
    public void admitPeersFrom(InetAddress v4, InetAddress v6) {
        peers = new InetAddress[] {v4, v6};
    }

    public int port() {
        return ((InetSocketAddress) v4.localAddress()).getPort();
    }

    @Override
    public void close() {
        v4.close();
        v6.close();
    }
}
