package dev.jtap.proxy;

import dev.jtap.stack.TcpFlow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies bytes between the child's connection and the upstream one, unchanged. A FIN on one side
 * becomes a FIN on the other; a reset becomes a reset; a slow reader stops reading from the fast
 * side (autoRead off while the peer is unwritable), so memory stays bounded.
 */
public final class Relay {
    /** Pending bytes per side before reading from the other side pauses (bounds memory per connection). */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    /** Reads grow to 1 MiB: fewer, larger reads and writes per byte relayed. */
    static final RecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(2048, 16 * 1024, 1024 * 1024);

    private final Channel child;
    private final Channel upstream;
    private final RelayTap tap;
    private final TcpFlow flow;
    private final AtomicInteger inputsShut = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Relay(Channel child, Channel upstream, RelayTap tap, TcpFlow flow) {
        this.flow = flow;
        this.child = child;
        this.upstream = upstream;
        this.tap = tap;
    }

    /** Starts relaying between two connected channels; closing either ends both. */
    public static void start(Channel child, Channel upstream, RelayTap tap, TcpFlow flow) {
        Relay relay = new Relay(child, upstream, tap, flow);
        child.pipeline().addLast("relay", relay.new Direction(upstream, true));
        upstream.pipeline().addLast("relay", relay.new Direction(child, false));
        child.closeFuture().addListener(f -> relay.closeBoth(false));
        upstream.closeFuture().addListener(f -> relay.closeBoth(false));
        if (upstream.pipeline().get(HeldReads.NAME) instanceof HeldReads held) {
            held.release();
        }
        resumeReading(child);
        resumeReading(upstream);
    }

    /**
     * Turns reading back on, on the channel's own event loop, unless its input has ended: Netty 4.2
     * has taken such a channel out of epoll and would close it (losing what is still to be written)
     * when asked to read again.
     */
    static void resumeReading(Channel channel) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> resumeReading(channel));
            return;
        }
        if (!(channel instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
            channel.config().setAutoRead(true);
        }
    }

    private void closeBoth(boolean reset) {
        boolean first = closed.compareAndSet(false, true);
        if (first) {
            tap.closed(reset ? "connection reset" : null); // reported before the child sees the end
        }
        if (reset) {
            abort(child);
            abort(upstream);
        }
        if (first) {
            flushAndClose(child);
            flushAndClose(upstream);
        }
    }

    private static void abort(Channel channel) {
        if (channel.isOpen()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        }
    }

    private static void flushAndClose(Channel channel) {
        if (channel.isOpen()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Reads one side and writes to the other. */
    private final class Direction extends ChannelInboundHandlerAdapter {
        private final Channel peer;
        private final boolean fromChild;

        Direction(Channel peer, boolean fromChild) {
            this.peer = peer;
            this.fromChild = fromChild;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            if (fromChild) {
                flow.countFromChild(data.readableBytes());
                tap.clientBytes(data);
            } else {
                flow.countToChild(data.readableBytes());
                tap.serverBytes(data);
            }
            peer.write(data, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                resumeReading(peer);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                if (!fromChild) {
                    tap.serverFinished();
                }
                if (peer instanceof DuplexChannel duplex && peer.isActive()) {
                    // The FIN follows what is still queued for the peer: shutting its output down
                    // at once would fail those writes and end the connection with a reset.
                    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
                        if (written.isSuccess()) {
                            shutdownOutput(duplex);
                        }
                    });
                }
                if (inputsShut.incrementAndGet() == 2) {
                    closeBoth(false);
                }
            }
        }

        private static void shutdownOutput(DuplexChannel channel) {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls != null) {
                tls.closeOutbound().addListener(f -> channel.shutdownOutput());
            } else {
                channel.shutdownOutput();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeBoth(true);
        }
    }
}
