package dev.jtap.stack;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * UDP relay: each child flow gets its own connected datagram socket in the host's namespace.
 * Datagrams from the child are sent as they are; replies are handed to {@code toChild}, which the
 * packet loop turns into IP/UDP packets. Idle flows expire.
 */
final class UdpRelay {
    private static final long IDLE_NANOS = 60_000_000_000L;
    private static final long DNS_IDLE_NANOS = 15_000_000_000L;
    private static final int MAX_FLOWS = 4096;

    private final Map<FlowKey, UdpFlow> flows = new HashMap<>();
    private final Bootstrap bootstrap;
    private final BiConsumer<UdpFlow, byte[]> toChild;
    private final Runnable dropped;

    UdpRelay(EventLoopGroup group, BiConsumer<UdpFlow, byte[]> toChild, Runnable dropped) {
        this.toChild = toChild;
        this.dropped = dropped;
        this.bootstrap = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 1 << 20);
    }

    /** Sends a datagram of the child's; called on the packet loop thread. */
    void send(FlowKey probe, int ipVersion, int childPort, InetSocketAddress remote, InetSocketAddress target,
              byte[] payload, long nowNanos) {
        UdpFlow flow = flows.get(probe);
        if (flow == null) {
            if (flows.size() >= MAX_FLOWS) {
                dropped.run();
                return;
            }
            flow = open(ipVersion, childPort, remote, target);
            flows.put(probe.copy(), flow);
        }
        flow.lastActiveNanos = nowNanos;
        synchronized (flow.pending) {
            if (flow.connected) {
                flow.channel.writeAndFlush(Unpooled.wrappedBuffer(payload), flow.channel.voidPromise());
            } else if (flow.pending.size() < UdpFlow.MAX_PENDING) {
                flow.pending.add(payload);
            } else {
                dropped.run();
            }
        }
    }

    private UdpFlow open(int ipVersion, int childPort, InetSocketAddress remote, InetSocketAddress target) {
        UdpFlow flow = new UdpFlow(ipVersion, childPort, remote);
        ChannelFuture connect = bootstrap.clone().handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                ByteBuf content = packet.content();
                byte[] data = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), data);
                toChild.accept(flow, data);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // ICMP errors on a connected UDP socket (e.g. port unreachable) end up here: the
                // child's own timeout decides, as it would on a lossy network.
            }
        }).connect(target);
        flow.channel = connect.channel();
        connect.addListener(done -> flow.channel.eventLoop().execute(() -> flushPending(flow, done.isSuccess())));
        return flow;
    }

    private static void flushPending(UdpFlow flow, boolean success) {
        synchronized (flow.pending) {
            flow.connected = success;
            for (byte[] payload; (payload = flow.pending.poll()) != null; ) {
                if (success) {
                    flow.channel.write(Unpooled.wrappedBuffer(payload), flow.channel.voidPromise());
                }
            }
            flow.channel.flush();
        }
    }

    /** Closes flows idle for longer than their timeout. */
    void expire(long nowNanos) {
        Iterator<UdpFlow> it = flows.values().iterator();
        while (it.hasNext()) {
            UdpFlow flow = it.next();
            long idle = flow.remote.getPort() == 53 ? DNS_IDLE_NANOS : IDLE_NANOS;
            if (nowNanos - flow.lastActiveNanos > idle) {
                flow.channel.close();
                it.remove();
            }
        }
    }

    int size() {
        return flows.size();
    }

    void closeAll() {
        flows.values().forEach(flow -> flow.channel.close());
        flows.clear();
    }
}
