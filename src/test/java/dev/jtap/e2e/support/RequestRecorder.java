package dev.jtap.e2e.support;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.function.Consumer;

/** Records each aggregated request (including WebSocket upgrades) and passes it on unchanged. */
final class RequestRecorder extends ChannelInboundHandlerAdapter {

    private final String protocol;
    private final boolean tls;
    private final Consumer<RecordedRequest> sink;

    /** {@code protocol} null means "take it from the request line". */
    RequestRecorder(String protocol, boolean tls, Consumer<RecordedRequest> sink) {
        this.protocol = protocol;
        this.tls = tls;
        this.sink = sink;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) {
            byte[] body = ByteBufUtil.getBytes(req.content());
            sink.accept(new RecordedRequest(req.method().name(), req.uri(), new QueryStringDecoder(req.uri()).path(),
                    protocol != null ? protocol : req.protocolVersion().text(), tls, Routes.headerMap(req.headers()),
                    body.length, DeterministicBytes.sha256(body)));
        }
        ctx.fireChannelRead(msg);
    }
}
