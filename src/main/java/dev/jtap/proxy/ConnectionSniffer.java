package dev.jtap.proxy;

import dev.jtap.http.ProtocolSniffer;
import dev.jtap.stack.TcpFlow;
import dev.jtap.tls.ClientHelloParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Holds a new connection until its first bytes say what it is: a TLS ClientHello goes to
 * {@link TlsInterception}, an HTTP/1 request to an observed relay, anything else (or a server that
 * speaks first) to a plain relay. Sits first in the child's pipeline; removes itself.
 */
final class ConnectionSniffer extends ChannelInboundHandlerAdapter {
    private static final int MAX_SNIFF_BYTES = 64 * 1024;

    private final TcpFlow flow;
    private final Channel upstream;
    private final Interception interception;
    private CompositeByteBuf buffered;
    private boolean decided;

    ConnectionSniffer(TcpFlow flow, Channel upstream, Interception interception) {
        this.flow = flow;
        this.upstream = upstream;
        this.interception = interception;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        buffered = ctx.alloc().compositeBuffer();
        held().onFirstRead(() -> ctx.executor().execute(() -> relayPlain(ctx, RelayTap.NONE)));
        Relay.resumeReading(upstream);
        upstream.closeFuture().addListener(f -> ctx.executor().execute(() -> relayPlain(ctx, RelayTap.NONE)));
    }

    /** What the server sent before the relay was in place (the dialler put this handler there). */
    private HeldReads held() {
        return (HeldReads) upstream.pipeline().get(HeldReads.NAME);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided) {
            ctx.fireChannelRead(msg);
            return;
        }
        buffered.addComponent(true, (ByteBuf) msg);
        decide(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!decided) {
            relayPlain(ctx, RelayTap.NONE);
            ctx.channel().pipeline().fireChannelInactive(); // this handler is gone: start from the head
            return;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!decided) {
            relayPlain(ctx, RelayTap.NONE);
            ctx.channel().pipeline().fireUserEventTriggered(event);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    private void decide(ChannelHandlerContext ctx) {
        int port = flow.remote().getPort();
        if (interception.forcedHttp(port)) {
            relayPlain(ctx, httpTap("http"));
            return;
        }
        ProtocolSniffer.Kind kind = ProtocolSniffer.detect(buffered);
        if (interception.forcedHttps(port) && kind != ProtocolSniffer.Kind.NEED_MORE) {
            kind = ProtocolSniffer.Kind.TLS;
        }
        switch (kind) {
            case TLS -> {
                ClientHelloParser.Result hello = ClientHelloParser.parse(buffered.nioBuffer());
                if (hello instanceof ClientHelloParser.ClientHello clientHello) {
                    ByteBuf bytes = releaseBuffered();
                    takeOver(ctx);
                    new TlsInterception(flow, ctx.channel(), upstream, interception).start(clientHello, bytes);
                } else if (hello != ClientHelloParser.Result.NEED_MORE || buffered.readableBytes() > MAX_SNIFF_BYTES) {
                    relayPlain(ctx, RelayTap.NONE);
                }
            }
            case HTTP1_REQUEST -> relayPlain(ctx, httpTap("http"));
            case HTTP2_PREFACE -> relayPlain(ctx, new HttpTap(interception.observer("h2", flow, "http", authority())));
            case NEED_MORE -> {
                if (buffered.readableBytes() > MAX_SNIFF_BYTES) {
                    relayPlain(ctx, RelayTap.NONE);
                }
            }
            default -> relayPlain(ctx, RelayTap.NONE);
        }
    }

    private RelayTap httpTap(String scheme) {
        return new HttpTap(interception.observer("http/1.1", flow, scheme, authority()));
    }

    private String authority() {
        return hostAndPort(flow.remote());
    }

    /** {@code 10.0.0.1:80} or {@code [fd00::1]:80}, as the console and URLs show an endpoint. */
    static String hostAndPort(java.net.InetSocketAddress endpoint) {
        String address = endpoint.getAddress().getHostAddress();
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + endpoint.getPort();
    }

    /** Stops sniffing; the caller now owns the connection (and the upstream's held reads). */
    private void takeOver(ChannelHandlerContext ctx) {
        decided = true;
        ctx.channel().config().setAutoRead(false);
        upstream.config().setAutoRead(false);
        ctx.pipeline().remove(this);
    }

    private ByteBuf releaseBuffered() {
        ByteBuf bytes = buffered;
        buffered = null;
        return bytes;
    }

    private void relayPlain(ChannelHandlerContext ctx, RelayTap tap) {
        if (decided) {
            return;
        }
        Channel child = ctx.channel();
        ByteBuf bytes = releaseBuffered();
        takeOver(ctx);
        Relay.start(child, upstream, tap, flow);
        if (bytes.isReadable()) {
            child.pipeline().fireChannelRead(bytes);
            child.pipeline().fireChannelReadComplete();
        } else {
            bytes.release();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
    }
}
