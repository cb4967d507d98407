package dev.jtap.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Keeps what an upstream channel reads, and the end of its input, while the rest of its pipeline is
 * not ready yet, then passes it all on in order. Every upstream has one from the moment it is
 * dialled: Netty reads a socket whose peer has closed even with auto-read off, so a server that
 * greets and closes before the child's connection is set up would otherwise lose its bytes.
 */
final class HeldReads extends ChannelInboundHandlerAdapter {
    static final String NAME = "hold";

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext context;
    private Runnable onFirstRead;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
        if (onFirstRead != null) {
            Runnable action = onFirstRead;
            onFirstRead = null;
            action.run();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing passes until release()
    }

    /**
     * The end of the server's input passes on after what it sent. A server that ends its side
     * before sending anything and before the connection is set up is closed (half-closure is
     * allowed, so Netty would keep the channel open and a TLS handshake would wait forever).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            if (held.isEmpty()) {
                ctx.close();
            } else {
                held.add(event);
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Runs {@code action} on the channel's event loop once something has been read (at once if it has). */
    void onFirstRead(Runnable action) {
        context.executor().execute(() -> {
            if (held.isEmpty()) {
                onFirstRead = action;
            } else {
                action.run();
            }
        });
    }

    /** Passes everything held to the handlers after this one and steps out of the pipeline. */
    void release() {
        context.executor().execute(() -> {
            ChannelHandlerContext ctx = context;
            boolean any = !held.isEmpty();
            for (Object item; (item = held.poll()) != null; ) {
                if (item instanceof ChannelInputShutdownEvent) {
                    ctx.fireChannelReadComplete();
                    ctx.fireUserEventTriggered(item);
                } else {
                    ctx.fireChannelRead(item);
                }
            }
            if (any) {
                ctx.fireChannelReadComplete();
            }
            ctx.pipeline().remove(this);
        });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (Object msg; (msg = held.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }
}
