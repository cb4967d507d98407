package dev.jtap.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Keeps what a channel reads while the rest of its pipeline is not ready yet (e.g. data a server
 * sends right after its TLS handshake, before the relay is in place), then passes it on in order.
 */
final class HeldReads extends ChannelInboundHandlerAdapter {
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext context;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing passes until release()
    }

    /**
     * The server ended its side before the connection was set up (half-closure is allowed, so
     * Netty would keep the channel open and a TLS handshake would wait forever): close it.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Passes everything held to the handlers after this one and steps out of the pipeline. */
    void release() {
        ChannelHandlerContext ctx = context;
        boolean any = !held.isEmpty();
        for (Object msg; (msg = held.poll()) != null; ) {
            ctx.fireChannelRead(msg);
        }
        if (any) {
            ctx.fireChannelReadComplete();
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (Object msg; (msg = held.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }
}
