package dev.jtap.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;

/** Writes an HTTP/2 conversation with Netty's frame writer, one HPACK encoder per direction. */
final class H2Script {

    /** One endpoint's writer; every call returns the bytes that endpoint put on the wire. */
    static final class Endpoint {
        final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
        final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter(encoder);
        private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
        private final ChannelHandlerContext ctx = channel.pipeline().firstContext();

        interface Write {
            void to(DefaultHttp2FrameWriter writer, ChannelHandlerContext ctx) throws Exception;
        }

        byte[] write(Write write) {
            try {
                write.to(writer, ctx);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            channel.flushOutbound();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuf buf;
            while ((buf = channel.readOutbound()) != null) {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                buf.release();
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }
    }

    final Endpoint client = new Endpoint();
    final Endpoint server = new Endpoint();
    private final Conversation.Builder steps;

    H2Script(String name) {
        steps = Conversation.named(name);
        steps.client(Http2DirectionReader.CLIENT_PREFACE);
        steps.client(client.write((w, c) -> w.writeSettings(c, new Http2Settings(), c.newPromise())));
        steps.server(server.write((w, c) -> w.writeSettings(c, new Http2Settings(), c.newPromise())));
    }

    static Http2Headers request(String method, String path, String... nameValues) {
        Http2Headers headers = new DefaultHttp2Headers().method(method).scheme("https").authority("h2.test");
        if (path != null) {
            headers.path(path);
        }
        return with(headers, nameValues);
    }

    static Http2Headers response(int status, String... nameValues) {
        return with(new DefaultHttp2Headers().status(Integer.toString(status)), nameValues);
    }

    static Http2Headers with(Http2Headers headers, String... nameValues) {
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    H2Script clientHeaders(int id, Http2Headers headers, boolean end) {
        steps.client(client.write((w, c) -> w.writeHeaders(c, id, headers, 0, end, c.newPromise())));
        return this;
    }

    H2Script serverHeaders(int id, Http2Headers headers, boolean end) {
        steps.server(server.write((w, c) -> w.writeHeaders(c, id, headers, 0, end, c.newPromise())));
        return this;
    }

    H2Script clientData(int id, byte[] data, int padding, boolean end) {
        steps.client(client.write((w, c) -> w.writeData(c, id, Unpooled.wrappedBuffer(data), padding, end,
                c.newPromise())));
        return this;
    }

    H2Script serverData(int id, byte[] data, int padding, boolean end) {
        steps.server(server.write((w, c) -> w.writeData(c, id, Unpooled.wrappedBuffer(data), padding, end,
                c.newPromise())));
        return this;
    }

    H2Script reset(boolean fromClient, int id, Http2Error error) {
        Endpoint endpoint = fromClient ? client : server;
        byte[] bytes = endpoint.write((w, c) -> w.writeRstStream(c, id, error.code(), c.newPromise()));
        return raw(fromClient, bytes);
    }

    H2Script serverGoAway(int lastStreamId, Http2Error error) {
        return raw(false, server.write((w, c) -> w.writeGoAway(c, lastStreamId, error.code(),
                Unpooled.copiedBuffer("bye", java.nio.charset.StandardCharsets.US_ASCII), c.newPromise())));
    }

    H2Script settings(boolean fromClient, Http2Settings settings) {
        Endpoint endpoint = fromClient ? client : server;
        return raw(fromClient, endpoint.write((w, c) -> w.writeSettings(c, settings, c.newPromise())));
    }

    H2Script raw(boolean fromClient, byte[] bytes) {
        if (fromClient) {
            steps.client(bytes);
        } else {
            steps.server(bytes);
        }
        return this;
    }

    /** Lets the endpoint's encoder use a larger dynamic table, as after the peer's SETTINGS. */
    static void growTable(Endpoint endpoint, long size) {
        try {
            endpoint.encoder.maxHeaderTableSize(size);
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Conversation closedCleanly() {
        return steps.closedCleanly();
    }

    Conversation closedWith(String reason) {
        return steps.closedWith(reason);
    }
}
