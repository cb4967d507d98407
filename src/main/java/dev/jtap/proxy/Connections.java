package dev.jtap.proxy;

import dev.jtap.stack.TcpFlow;
import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;

import java.util.function.Consumer;

/** Pairs each accepted child connection with its upstream and starts the relay. */
public final class Connections {
    private final Consumer<TcpFlow> closed;

    /** {@code closed} is told when a flow's relay has ended (the NAT entry may then linger and go). */
    public Connections(Consumer<TcpFlow> closed) {
        this.closed = closed;
    }

    public void accepted(SocketChannel child, TcpFlow flow) {
        Channel upstream = (Channel) flow.upstream();
        Relay.start(child, upstream, RelayTap.NONE, () -> closed.accept(flow));
    }
}
