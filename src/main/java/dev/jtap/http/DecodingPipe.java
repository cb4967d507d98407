package dev.jtap.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * One direction of a connection run through a Netty HTTP decoder off the network: bytes go in, each
 * decoded {@link HttpObject} is handed to the consumer as soon as the decoder produces it (before the
 * decoder looks at the next message, which the response side relies on) and released afterwards. Bytes
 * the decoder passes through undecoded (after a protocol switch) go to the raw-bytes consumer.
 */
final class DecodingPipe {

    private final EmbeddedChannel channel;
    private boolean discarded;

    DecodingPipe(ChannelHandler decoder, Consumer<HttpObject> consumer) {
        this(decoder, consumer, raw -> { });
    }

    DecodingPipe(ChannelHandler decoder, Consumer<HttpObject> consumer, Consumer<ByteBuf> rawBytes) {
        channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                try {
                    if (!discarded && message instanceof HttpObject object) {
                        consumer.accept(object);
                    } else if (!discarded && message instanceof ByteBuf raw) {
                        rawBytes.accept(raw);
                    }
                } finally {
                    ReferenceCountUtil.release(message);
                }
            }
        });
    }

    /** Decodes the readable bytes of {@code data} without touching its indexes or reference count. */
    void feed(ByteBuf data) {
        channel.writeInbound(data.retainedSlice());
    }

    /** Drops any partial message and frees the decoder's buffers; later output is ignored. */
    void discard() {
        if (!discarded) {
            discarded = true;
            channel.finishAndReleaseAll();
        }
    }
}
