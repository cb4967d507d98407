package dev.jtap.proxy;

import dev.jtap.stack.Dialer;
import dev.jtap.stack.TcpFlow;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Locale;

/**
 * Dials upstream from the host's network namespace. Must be called from a host-namespace thread:
 * the socket belongs to the namespace of the thread that creates it.
 */
public final class UpstreamDialer implements Dialer {
    private static final int CONNECT_TIMEOUT_MILLIS = 75_000;

    private final Bootstrap bootstrap;

    public UpstreamDialer(EventLoopGroup group) {
        this.bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Relay.WATER_MARK)
                .option(ChannelOption.RCVBUF_ALLOCATOR, Relay.READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(HeldReads.NAME, new HeldReads());
                    }
                });
    }

    @Override
    public void dial(TcpFlow flow, Outcome outcome) {
        ChannelFuture connect = bootstrap.connect(flow.target());
        connect.addListener(done -> {
            if (done.isSuccess()) {
                flow.attachUpstream(connect.channel());
                outcome.connected();
                return;
            }
            Throwable cause = done.cause();
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (cause instanceof ConnectTimeoutException) {
                outcome.timedOut();
            } else if (cause instanceof NoRouteToHostException || message.contains("unreachable")
                    || message.contains("no route")) {
                outcome.unreachable();
            } else if (cause instanceof ConnectException && message.contains("refused")) {
                outcome.refused();
            } else {
                outcome.unreachable();
            }
        });
    }

    @Override
    public void abandon(TcpFlow flow) {
        if (flow.upstream() instanceof Channel channel) {
            channel.close();
        }
    }
}
