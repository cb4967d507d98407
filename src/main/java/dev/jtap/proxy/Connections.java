package dev.jtap.proxy;

import dev.jtap.stack.TcpFlow;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.time.Duration;
import java.util.function.Consumer;

/** Pairs each accepted child connection with its upstream and hands it to the sniffer. */
public final class Connections {
    private final Interception interception;
    private final Consumer<TcpFlow> closed;
    /** Both channels of every accepted connection; a channel leaves the group when it closes. */
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    /** {@code closed} is told when a flow's relay has ended (the NAT entry may then linger and go). */
    public Connections(Interception interception, Consumer<TcpFlow> closed) {
        this.interception = interception;
        this.closed = closed;
    }

    public void accepted(SocketChannel child, TcpFlow flow) {
        Channel upstream = (Channel) flow.upstream();
        open.add(child);
        open.add(upstream);
        child.closeFuture().addListener(f -> {
            if (upstream.pipeline().get("relay") == null) {
                upstream.close();
            }
            closed.accept(flow);
        });
        upstream.closeFuture().addListener(f -> {
            if (child.pipeline().get("relay") == null) {
                child.close();
            }
        });
        child.pipeline().addLast("sniff", new ConnectionSniffer(flow, upstream, interception));
        Relay.resumeReading(child);
    }

    /**
     * Closes every connection still open and waits (at most {@code patience}) until each has ended,
     * while the event loops still run: the observers then report what the connections left unfinished
     * before jtap stops.
     */
    public void closeAll(Duration patience) {
        open.close().awaitUninterruptibly(patience.toMillis());
    }
}
