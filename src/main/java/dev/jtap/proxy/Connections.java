package dev.jtap.proxy;

import dev.jtap.stack.TcpFlow;
import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Pairs each accepted child connection with its upstream and hands it to the sniffer. */
public final class Connections {
    private final Interception interception;
    private final Consumer<TcpFlow> closed;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    /** {@code closed} is told when a flow's relay has ended (the NAT entry may then linger and go). */
    public Connections(Interception interception, Consumer<TcpFlow> closed) {
        this.interception = interception;
        this.closed = closed;
    }

    public void accepted(SocketChannel child, TcpFlow flow) {
        Channel upstream = (Channel) flow.upstream();
        for (Channel channel : List.of(child, upstream)) {
            open.add(channel);
            channel.closeFuture().addListener(f -> open.remove(channel));
        }
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
        long deadline = System.nanoTime() + patience.toNanos();
        List<Channel> channels = List.copyOf(open);
        channels.forEach(Channel::close);
        for (Channel channel : channels) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !channel.closeFuture().awaitUninterruptibly(left / 1_000_000)) {
                return;
            }
        }
    }
}
