package dev.jtap.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.util.function.Function;

/**
 * jtap's Netty event loops. A connection the {@link FlowListener} accepts registers on the loop of
 * its upstream, which was dialled when the child's SYN arrived: both channels of a connection share
 * one thread, so its relay needs no locks and its bytes never change threads.
 */
public final class RelayEventLoops extends MultiThreadIoEventLoopGroup {
    private volatile Function<Channel, EventLoop> homeOfAccepted = channel -> null;

    public RelayEventLoops(int threads, IoHandlerFactory handlers) {
        super(threads, handlers);
    }

    /** From now on an accepted channel registers on the loop {@code home} names for it (null: any loop). */
    void steerAccepted(Function<Channel, EventLoop> home) {
        homeOfAccepted = home;
    }

    @Override
    public ChannelFuture register(Channel channel) {
        EventLoop home = channel.parent() != null ? homeOfAccepted.apply(channel) : null;
        return home != null ? home.register(channel) : super.register(channel);
    }
}
