package dev.jtap.http;

import dev.jtap.record.Exchange;
import dev.jtap.record.Header;
import dev.jtap.record.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches one HTTP/2 connection from a copy of its bytes and records every stream as an exchange.
 *
 * <p>Each direction has its own frame reader and HPACK decoder, living as long as the connection so that
 * the dynamic tables stay in step with the peers'. Bodies are counted into bounded prefixes; at most
 * {@link #MAX_TRACKED_STREAMS} streams are followed at once (the oldest is given up beyond that). An
 * accepted extended CONNECT for WebSocket hands its DATA to a {@link WebSocketObserver}. Like
 * {@link Http1Observer} it never throws, never touches the caller's buffers, and stops observing on
 * anything it cannot follow.
 */
public final class Http2Observer implements ConnectionObserver {

    static final int MAX_TRACKED_STREAMS = 1000;

    private final long connectionId;
    private final String scheme;
    private final String defaultAuthority;
    private final Recorder recorder;
    private final int maxBody;

    private final EmbeddedChannel contextChannel;
    private final Http2DirectionReader fromClient;
    private final Http2DirectionReader fromServer;
    /** Streams being followed, oldest first. */
    private final Map<Integer, ObservedStream> streams = new LinkedHashMap<>();

    private boolean active = true;
    private String stopReason;

    public Http2Observer(long connectionId, String scheme, String defaultAuthority, Recorder recorder, int maxBody) {
        this.connectionId = connectionId;
        this.scheme = scheme;
        this.defaultAuthority = defaultAuthority;
        this.recorder = recorder;
        this.maxBody = maxBody;
        // Netty's frame reader wants a context to allocate CONTINUATION buffers from; nothing is written to it.
        this.contextChannel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext context = contextChannel.pipeline().firstContext();
        this.fromClient = new Http2DirectionReader(true, context, new ClientFrames(), this::streamError);
        this.fromServer = new Http2DirectionReader(false, context, new ServerFrames(), this::streamError);
    }

    /** Bytes the client sent, in order, starting with the connection preface. */
    @Override
    public synchronized void clientBytes(ByteBuf data) {
        feed(fromClient, data, "client");
    }

    /** Bytes the server sent, in order. */
    @Override
    public synchronized void serverBytes(ByteBuf data) {
        feed(fromServer, data, "server");
    }

    /** The connection ended, cleanly when {@code reasonOrNull} is null; unfinished streams fail. */
    @Override
    public synchronized void closed(String reasonOrNull) {
        if (!active) {
            return;
        }
        Instant now = Instant.now();
        for (ObservedStream stream : List.copyOf(streams.values())) {
            boolean headSeen = stream.exchange.status() > 0 && !stream.exchange.isFinished();
            giveUp(stream, headSeen ? ResponseFraming.cutShort(reasonOrNull, stream.exchange)
                    : reasonOrNull != null ? reasonOrNull : "connection closed before response", reasonOrNull, now);
        }
        stop(reasonOrNull != null ? reasonOrNull : "connection closed");
    }

    @Override
    public synchronized boolean active() {
        return active;
    }

    /** Why observation stopped, or null while {@link #active()}. */
    public synchronized String stopReason() {
        return stopReason;
    }

    private void feed(Http2DirectionReader reader, ByteBuf data, String direction) {
        if (!active || !data.isReadable()) {
            return;
        }
        try {
            reader.feed(data);
        } catch (Exception | StackOverflowError | AssertionError e) {
            String reason = "cannot follow " + direction + ": " + describe(e);
            try {
                failAll("not observed: " + reason, reason);
            } catch (RuntimeException ignored) {
                // recording must not fail the relay
            }
            stop(reason);
        }
    }

    private void stop(String reason) {
        active = false;
        stopReason = reason;
        streams.clear();
        fromClient.close();
        fromServer.close();
        contextChannel.finishAndReleaseAll();
    }

    private void failAll(String error, String webSocketReason) {
        Instant now = Instant.now();
        for (ObservedStream stream : List.copyOf(streams.values())) {
            giveUp(stream, error, webSocketReason, now);
        }
    }

    /** Ends a stream's observation: fails its exchange if still open and closes any WebSocket on it. */
    private void giveUp(ObservedStream stream, String error, String webSocketReason, Instant now) {
        streams.remove(stream.id);
        if (!stream.exchange.isFinished()) {
            stream.exchange.fail(error, now);
            recorder.exchangeFinished(stream.exchange);
        }
        if (stream.webSocket != null) {
            stream.webSocket.closed(webSocketReason);
        }
    }

    private void streamError(int streamId, String message) {
        ObservedStream stream = streams.get(streamId);
        if (stream != null) {
            giveUp(stream, "not observed: " + message, message, Instant.now());
        }
    }

    private void track(ObservedStream stream) {
        if (streams.size() >= MAX_TRACKED_STREAMS) {
            Iterator<ObservedStream> oldest = streams.values().iterator();
            giveUp(oldest.next(), "not observed: too many concurrent streams", "too many concurrent streams",
                    Instant.now());
        }
        streams.put(stream.id, stream);
    }

    private void startRequest(int streamId, Http2Headers headers, boolean endOfStream) {
        Instant now = Instant.now();
        String method = text(headers.method(), "GET");
        String authority = text(headers.authority(), null);
        if (authority == null) {
            authority = text(headers.get("host"), null);
        }
        String requestScheme = text(headers.scheme(), scheme);
        String path = text(headers.path(), null);
        String url = RequestUrls.of(requestScheme, authority,
                defaultAuthority, path != null ? path : authority != null ? authority : defaultAuthority);
        Exchange exchange = new Exchange(connectionId, now, method, url, "HTTP/2", regularHeaders(headers), maxBody);
        exchange.markRequestSent(now);
        boolean webSocket = method.equals("CONNECT") && "websocket".equalsIgnoreCase(text(headers.get(":protocol"), ""));
        ObservedStream stream = new ObservedStream(streamId, exchange, webSocket);
        stream.clientEnded = endOfStream;
        track(stream);
        recorder.requestSent(exchange);
    }

    private void responseHeaders(ObservedStream stream, Http2Headers headers, boolean endOfStream) {
        Instant now = Instant.now();
        Exchange exchange = stream.exchange;
        if (stream.responseHeadSeen) {
            exchange.responseTrailers(regularHeaders(headers));
            if (endOfStream) {
                serverEnded(stream);
            }
            return;
        }
        int status = statusOf(headers);
        if (status < 0) {
            giveUp(stream, "not observed: response without a valid :status", "malformed response", now);
            return;
        }
        if (status < 200) {
            return; // interim response; the final one follows on the same stream
        }
        List<Header> regular = regularHeaders(headers);
        exchange.responseHead(status, "", regular, now);
        stream.responseHeadSeen = true;
        if (stream.webSocketRequest && status < 300) {
            stream.webSocket = new WebSocketObserver(exchange, recorder,
                    WebSocketObserver.acceptsPermessageDeflate(Header.firstValue(regular, "sec-websocket-extensions")));
            exchange.finish(now);
            recorder.exchangeFinished(exchange);
        } else if (!endOfStream && StreamingResponses.isStreaming(regular)) {
            if (StreamingResponses.isEventStream(regular)) {
                stream.events = new ServerSentEventSplitter(event -> recorder.serverSentEvent(exchange, event));
            }
            recorder.responseStarted(exchange);
        }
        if (endOfStream) {
            serverEnded(stream);
        }
    }

    private void serverEnded(ObservedStream stream) {
        stream.serverEnded = true;
        if (stream.webSocket == null) {
            streams.remove(stream.id);
            stream.exchange.finish(Instant.now());
            recorder.exchangeFinished(stream.exchange);
        } else if (stream.clientEnded) {
            giveUp(stream, null, null, Instant.now());
        }
    }

    private void clientEnded(ObservedStream stream) {
        stream.clientEnded = true;
        if (stream.webSocket != null && stream.serverEnded) {
            giveUp(stream, null, null, Instant.now());
        }
    }

    private void reset(int streamId, long errorCode) {
        ObservedStream stream = streams.get(streamId);
        if (stream != null) {
            String error = "stream reset: " + errorName(errorCode);
            giveUp(stream, error, error, Instant.now());
        }
    }

    /** Streams the sender of a GOAWAY will not process fail; lower-numbered ones carry on. */
    private void goAway(boolean fromServer, int lastStreamId, long errorCode) {
        String error = "GOAWAY: " + errorName(errorCode);
        for (ObservedStream stream : List.copyOf(streams.values())) {
            boolean initiatedByReceiver = (stream.id % 2 == 1) == fromServer;
            if (stream.id > lastStreamId && initiatedByReceiver) {
                giveUp(stream, error, error, Instant.now());
            }
        }
    }

    /** What frames do alike in both directions; each direction adds where DATA goes and what HEADERS mean. */
    private abstract class Frames extends Http2FrameAdapter {

        private final boolean sentByServer;

        Frames(boolean sentByServer) {
            this.sentByServer = sentByServer;
        }

        /** DATA on a followed stream, before its end (if it ends) is handled. */
        abstract void data(ObservedStream stream, ByteBuf data);

        /** This direction's half of the stream ended. */
        abstract void ended(ObservedStream stream);

        @Override
        public abstract void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream);

        @Override
        public final int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                boolean endOfStream) {
            ObservedStream stream = streams.get(streamId);
            if (stream != null) {
                data(stream, data);
                if (endOfStream) {
                    ended(stream);
                }
            }
            return data.readableBytes() + padding;
        }

        @Override
        public final void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        /** A peer's SETTINGS bound the HPACK table of what the other peer sends. */
        @Override
        public final void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
            Long tableSize = settings.headerTableSize();
            if (tableSize != null) {
                (sentByServer ? fromClient : fromServer).allowHeaderTableSize(tableSize);
            }
        }

        @Override
        public final void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            reset(streamId, errorCode);
        }

        @Override
        public final void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode,
                ByteBuf debugData) {
            goAway(sentByServer, lastStreamId, errorCode);
        }
    }

    private final class ClientFrames extends Frames {

        ClientFrames() {
            super(false);
        }

        @Override
        void data(ObservedStream stream, ByteBuf data) {
            if (stream.webSocket != null) {
                stream.webSocket.clientBytes(data);
            } else {
                stream.exchange.requestBody().append(data);
            }
        }

        @Override
        void ended(ObservedStream stream) {
            clientEnded(stream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) {
            ObservedStream stream = streams.get(streamId);
            if (stream == null) {
                if (streamId % 2 == 1 && headers.method() != null) {
                    startRequest(streamId, headers, endOfStream);
                }
            } else if (endOfStream) {
                clientEnded(stream); // request trailers
            }
        }
    }

    private final class ServerFrames extends Frames {

        ServerFrames() {
            super(true);
        }

        @Override
        void data(ObservedStream stream, ByteBuf data) {
            if (stream.webSocket != null) {
                stream.webSocket.serverBytes(data);
            } else {
                stream.exchange.responseBody().append(data);
                if (stream.events != null) {
                    stream.events.feed(data);
                }
            }
        }

        @Override
        void ended(ObservedStream stream) {
            serverEnded(stream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) {
            ObservedStream stream = streams.get(streamId);
            if (stream != null) {
                responseHeaders(stream, headers, endOfStream);
            }
        }

        @Override
        public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
                Http2Headers headers, int padding) {
            if (!streams.containsKey(promisedStreamId) && headers.method() != null) {
                startRequest(promisedStreamId, headers, true);
            }
        }
    }

    private static int statusOf(Http2Headers headers) {
        CharSequence status = headers.status();
        if (status == null || status.length() != 3) {
            return -1;
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + (c - '0');
        }
        return code >= 100 ? code : -1;
    }

    /** The headers in the order sent, without pseudo-headers. */
    private static List<Header> regularHeaders(Http2Headers headers) {
        List<Header> list = new ArrayList<>(headers.size());
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            CharSequence name = header.getKey();
            if (name.length() > 0 && name.charAt(0) != ':') {
                list.add(new Header(name.toString(), header.getValue().toString()));
            }
        }
        return list;
    }

    private static String text(CharSequence value, String otherwise) {
        return value == null || value.isEmpty() ? otherwise : value.toString();
    }

    private static String errorName(long code) {
        Http2Error error = Http2Error.valueOf(code);
        return error != null ? error.name() : "error " + code;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
