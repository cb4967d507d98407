package dev.jtap.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.util.List;

/**
 * A request decoder that can be told to stop decoding and pass every further byte through as a raw
 * {@link ByteBuf}: set after an upgrade request, while it is unknown whether the server will switch.
 */
final class PassThroughRequestDecoder extends HttpRequestDecoder {

    private boolean passThrough;

    PassThroughRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    void passThrough(boolean on) {
        passThrough = on;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (passThrough) {
            if (buffer.isReadable()) {
                out.add(buffer.readRetainedSlice(buffer.readableBytes()));
            }
            return;
        }
        super.decode(ctx, buffer, out);
    }
}
