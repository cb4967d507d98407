package dev.jtap.e2e.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Looks at the first bytes of a cleartext connection: the HTTP/2 connection preface selects h2c
 * (prior knowledge), anything else HTTP/1.1. Replaces itself with the chosen pipeline.
 */
final class PrefaceDetector extends ByteToMessageDecoder {

    private final BiConsumer<ChannelHandlerContext, Boolean> configure;

    /** {@code configure} receives {@code true} for HTTP/2 and must add the handlers after this one. */
    PrefaceDetector(BiConsumer<ChannelHandlerContext, Boolean> configure) {
        this.configure = configure;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        try {
            int n = Math.min(in.readableBytes(), preface.readableBytes());
            boolean prefixMatches = ByteBufUtil.equals(in, in.readerIndex(), preface, 0, n);
            if (prefixMatches && n < preface.readableBytes()) {
                return; // need more bytes to decide
            }
            configure.accept(ctx, prefixMatches);
            ctx.pipeline().remove(this); // forwards buffered bytes to the new handlers
        } finally {
            preface.release();
        }
    }
}
