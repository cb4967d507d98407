package dev.jtap.http;

import dev.jtap.record.Body;
import dev.jtap.record.Exchange;
import dev.jtap.record.Header;
import dev.jtap.record.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Watches one HTTP/1.x connection from a copy of its bytes and records every exchange on it.
 *
 * <p>Requests and responses are decoded incrementally by Netty's decoders, one per direction; bodies
 * stream through in slices and are only counted and copied into a bounded prefix. Responses are matched
 * to requests first-in first-out, which covers keep-alive and pipelining. The observer never throws:
 * when it meets something it cannot follow it stops observing ({@link #active()} turns false) and every
 * exchange still waiting for its response is finished with an error. A 101 answering an
 * {@code Upgrade: websocket} request hands both directions to a {@link WebSocketObserver}; other protocol
 * switches end observation. Methods are synchronised because the two directions may be relayed on
 * different threads.
 */
public final class Http1Observer implements ConnectionObserver {

    static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Client bytes kept after a WebSocket upgrade request until the server accepts or refuses it. */
    static final int MAX_HELD_UPGRADE_BYTES = 64 * 1024;

    private final long connectionId;
    private final String scheme;
    private final String defaultAuthority;
    private final Recorder recorder;
    private final int maxBody;

    private final PassThroughRequestDecoder requestDecoder;
    private final DecodingPipe requests;
    private final DecodingPipe responses;
    private final MethodAwareResponseDecoder responseDecoder;

    /** Exchanges whose request head was seen and whose final response has not completed, oldest first. */
    private final Deque<Exchange> awaitingResponse = new ArrayDeque<>();
    /** The exchange whose request body is still arriving, or null. */
    private Exchange requestBodyOwner;
    /** When the first byte of the next request arrived, or null before it does. */
    private Instant nextRequestStarted;
    /** The response being decoded is a 1xx that will be followed by the real one. */
    private boolean readingInterimResponse;
    /** The head of {@link #awaitingResponse} has its response head and the body is still arriving. */
    private boolean readingResponseBody;
    /** That body has no length and ends when the server closes the connection. */
    private boolean responseEndsAtClose;
    /** The Content-Length of the response body being read; -1 when its end is not a byte count. */
    private long responseLength = -1;
    /** Events of a {@code text/event-stream} response being read, or null. */
    private ServerSentEventSplitter responseEvents;

    /** The exchange that asked for a WebSocket upgrade and awaits its answer, or null. */
    private Exchange pendingUpgrade;
    /** Client bytes sent after {@link #pendingUpgrade}'s request, before its response; null if none. */
    private ByteBuf heldClientBytes;
    /** Follows the connection once the server switched it to WebSocket. */
    private WebSocketObserver webSocket;

    private boolean active = true;
    private boolean upgraded;
    private String stopReason;

    public Http1Observer(long connectionId, String scheme, String defaultAuthority, Recorder recorder,
            int maxBody) {
        this.connectionId = connectionId;
        this.scheme = scheme;
        this.defaultAuthority = defaultAuthority;
        this.recorder = recorder;
        this.maxBody = maxBody;
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_HEADER_BYTES)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setMaxChunkSize(64 * 1024);
        this.requestDecoder = new PassThroughRequestDecoder(config);
        this.requests = new DecodingPipe(requestDecoder, this::onRequestPart, this::onRawClientBytes);
        this.responseDecoder = new MethodAwareResponseDecoder(config, this::outstandingMethod);
        this.responses = new DecodingPipe(responseDecoder, this::onResponsePart, this::onRawServerBytes);
    }

    /** Bytes the client sent, in order. {@code data} is left exactly as it was passed in. */
    @Override
    public synchronized void clientBytes(ByteBuf data) {
        if (!active || !data.isReadable()) {
            return;
        }
        if (webSocket != null) {
            webSocket.clientBytes(data);
            return;
        }
        if (nextRequestStarted == null && requestBodyOwner == null) {
            nextRequestStarted = Instant.now();
        }
        feed(requests, data, "request");
    }

    /** Bytes the server sent, in order. {@code data} is left exactly as it was passed in. */
    @Override
    public synchronized void serverBytes(ByteBuf data) {
        if (!active || !data.isReadable()) {
            return;
        }
        if (webSocket != null) {
            webSocket.serverBytes(data);
            return;
        }
        int counted = countOnly(data);
        if (counted < data.readableBytes()) {
            feed(responses, counted == 0 ? data : data.slice(data.readerIndex() + counted, data.readableBytes() - counted),
                    "response");
        }
    }

    /**
     * Counts, without decoding, the bytes of a Content-Length body once the exchange keeps no more of
     * it: a big download costs the observer nothing per byte. Returns how many bytes at the start of
     * {@code data} were such body bytes; with the body's last byte the response completes.
     */
    private int countOnly(ByteBuf data) {
        Exchange exchange = awaitingResponse.peekFirst();
        if (!readingResponseBody || readingInterimResponse || responseLength < 0 || responseEvents != null
                || exchange == null) {
            return 0;
        }
        Body body = exchange.responseBody();
        if (body.size() < body.maxBody()) {
            return 0;
        }
        int counted = (int) Math.min(responseLength - body.size(), data.readableBytes());
        body.count(counted);
        if (body.size() >= responseLength) {
            responseDecoder.reset(); // it never saw the body's end: the next byte starts a new response
            finishResponse(exchange);
        }
        return counted;
    }

    /**
     * The connection ended: cleanly when {@code reasonOrNull} is null, else for that reason. A response
     * delimited by the close completes on a clean close; every other unfinished exchange fails.
     */
    @Override
    public synchronized void closed(String reasonOrNull) {
        if (!active) {
            return;
        }
        if (webSocket != null) {
            webSocket.closed(reasonOrNull);
        }
        try {
            Instant now = Instant.now();
            if (reasonOrNull == null && readingResponseBody && responseEndsAtClose) {
                Exchange exchange = awaitingResponse.pollFirst();
                exchange.finish(now);
                recorder.exchangeFinished(exchange);
            }
            Exchange current = awaitingResponse.peekFirst();
            if (readingResponseBody && current != null) {
                // The head arrived: this response was cut short, not missing.
                awaitingResponse.pollFirst();
                current.fail(ResponseFraming.cutShort(reasonOrNull, current), now);
                recorder.exchangeFinished(current);
            }
            failAwaiting(reasonOrNull != null ? reasonOrNull : "connection closed before response", now);
        } catch (Exception e) {
            // recording must not fail the relay; the observer is finished either way
        }
        stop(reasonOrNull != null ? reasonOrNull : "connection closed");
        releaseDecoders();
    }

    /** Whether bytes are still being decoded (as HTTP/1, or as WebSocket frames after an upgrade). */
    @Override
    public synchronized boolean active() {
        return active && (webSocket == null || webSocket.active());
    }

    /** Why observation stopped, or null while {@link #active()}. */
    public synchronized String stopReason() {
        if (stopReason == null && webSocket != null) {
            return webSocket.stopReason();
        }
        return stopReason;
    }

    /** The observer following the connection after a WebSocket upgrade, or null. */
    synchronized WebSocketObserver webSocket() {
        return webSocket;
    }

    /** The connection switched protocols (101, or CONNECT 2xx); what follows is opaque. */
    public synchronized boolean upgraded() {
        return upgraded;
    }

    private void feed(DecodingPipe pipe, ByteBuf data, String direction) {
        try {
            pipe.feed(data);
        } catch (Exception | StackOverflowError | AssertionError e) {
            stopAndFailAwaiting("cannot follow " + direction + ": " + describe(e));
        }
        if (!active || webSocket != null) {
            releaseDecoders();
        }
    }

    private void onRequestPart(HttpObject part) {
        if (!active) {
            return;
        }
        if (part.decoderResult().isFailure()) {
            stopAndFailAwaiting("cannot follow request: " + describe(part.decoderResult().cause()));
            return;
        }
        if (part instanceof HttpRequest request) {
            if (!hasNoControls(request.uri())) {
                stopAndFailAwaiting("cannot follow request: control characters in request target");
                return;
            }
            startExchange(request);
        }
        if (part instanceof HttpContent content && requestBodyOwner != null) {
            requestBodyOwner.requestBody().append(content.content());
            if (part instanceof LastHttpContent) {
                if (requestBodyOwner == pendingUpgrade) {
                    // What follows may already be WebSocket frames: hold it until the server answers.
                    requestDecoder.passThrough(true);
                }
                requestBodyOwner = null;
            }
        }
    }

    private void startExchange(HttpRequest request) {
        Instant now = Instant.now();
        String method = request.method().name();
        String url = RequestUrls.of(scheme, request.headers().get("Host"), defaultAuthority, request.uri());
        Exchange exchange = new Exchange(connectionId, nextRequestStarted != null ? nextRequestStarted : now,
                method, url, request.protocolVersion().text(), headerList(request.headers()), maxBody);
        nextRequestStarted = null;
        exchange.markRequestSent(now);
        awaitingResponse.addLast(exchange);
        requestBodyOwner = exchange;
        if (pendingUpgrade == null && asksForWebSocket(request.headers())) {
            pendingUpgrade = exchange;
        }
        recorder.requestSent(exchange);
    }

    private void onResponsePart(HttpObject part) {
        if (!active) {
            return;
        }
        if (part.decoderResult().isFailure()) {
            stopAndFailAwaiting("cannot follow response: " + describe(part.decoderResult().cause()));
            return;
        }
        if (part instanceof HttpResponse response && !startResponse(response)) {
            return;
        }
        if (part instanceof HttpContent content) {
            if (readingInterimResponse) {
                readingInterimResponse = !(part instanceof LastHttpContent);
                return;
            }
            Exchange exchange = awaitingResponse.peekFirst();
            exchange.responseBody().append(content.content());
            if (responseEvents != null) {
                responseEvents.feed(content.content());
            }
            if (part instanceof LastHttpContent) {
                finishResponse(exchange);
            }
        }
    }

    /** Returns false if the observer stopped because the response answers nothing. */
    private boolean startResponse(HttpResponse response) {
        Exchange exchange = awaitingResponse.peekFirst();
        if (exchange == null) {
            stopAndFailAwaiting("response without a request");
            return false;
        }
        int status = response.status().code();
        if (ResponseFraming.isInterim(status)) {
            readingInterimResponse = true;
            return true;
        }
        exchange.responseHead(status, response.status().reasonPhrase(), headerList(response.headers()),
                Instant.now());
        readingResponseBody = true;
        boolean hasBody = !ResponseFraming.hasNoBody(exchange.method(), status);
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        responseEndsAtClose = hasBody && !chunked && !HttpUtil.isContentLengthSet(response);
        responseLength = hasBody && !chunked ? HttpUtil.getContentLength(response, -1L) : -1;
        if (hasBody && StreamingResponses.isStreaming(exchange.responseHeaders())) {
            if (StreamingResponses.isEventStream(exchange.responseHeaders())) {
                responseEvents = new ServerSentEventSplitter(event -> recorder.serverSentEvent(exchange, event));
            }
            recorder.responseStarted(exchange);
        }
        return true;
    }

    private void finishResponse(Exchange exchange) {
        awaitingResponse.pollFirst();
        readingResponseBody = false;
        responseLength = -1;
        responseEvents = null;
        exchange.finish(Instant.now());
        recorder.exchangeFinished(exchange);
        boolean answersUpgrade = exchange == pendingUpgrade;
        if (answersUpgrade) {
            pendingUpgrade = null;
        }
        if (answersUpgrade && exchange.status() == 101) {
            startWebSocket(exchange);
        } else if (ResponseFraming.leavesHttp(exchange.method(), exchange.status())) {
            upgraded = true;
            stopAndFailAwaiting("switched protocols (" + exchange.status() + ")");
        } else if (answersUpgrade) {
            resumeRequestsAfterRefusedUpgrade();
        }
    }

    private void startWebSocket(Exchange handshake) {
        upgraded = true;
        failAwaiting("not observed: switched protocols (101)", Instant.now());
        webSocket = new WebSocketObserver(handshake, recorder, WebSocketObserver.acceptsPermessageDeflate(
                Header.firstValue(handshake.responseHeaders(), "Sec-WebSocket-Extensions")));
        ByteBuf held = takeHeldClientBytes();
        if (held != null) {
            webSocket.clientBytes(held);
            held.release();
        }
    }

    /** The server answered the upgrade request with plain HTTP: the held bytes are the next requests. */
    private void resumeRequestsAfterRefusedUpgrade() {
        requestDecoder.passThrough(false);
        ByteBuf held = takeHeldClientBytes();
        if (held != null) {
            if (nextRequestStarted == null && requestBodyOwner == null) {
                nextRequestStarted = Instant.now();
            }
            try {
                requests.feed(held);
            } catch (Exception | StackOverflowError | AssertionError e) {
                stopAndFailAwaiting("cannot follow request: " + describe(e));
            } finally {
                held.release();
            }
        }
    }

    /** Client bytes the request decoder passed through while an upgrade was pending or accepted. */
    private void onRawClientBytes(ByteBuf raw) {
        if (!active) {
            return;
        }
        if (webSocket != null) {
            webSocket.clientBytes(raw);
            return;
        }
        if (heldClientBytes == null) {
            heldClientBytes = Unpooled.buffer(raw.readableBytes());
        }
        if (heldClientBytes.readableBytes() + raw.readableBytes() > MAX_HELD_UPGRADE_BYTES) {
            stopAndFailAwaiting("too many bytes sent before the upgrade was answered");
            return;
        }
        heldClientBytes.writeBytes(raw, raw.readerIndex(), raw.readableBytes());
    }

    /** Server bytes after a 101: the response decoder passes them through undecoded. */
    private void onRawServerBytes(ByteBuf raw) {
        if (active && webSocket != null) {
            webSocket.serverBytes(raw);
        }
    }

    private ByteBuf takeHeldClientBytes() {
        ByteBuf held = heldClientBytes;
        heldClientBytes = null;
        return held;
    }

    private static boolean asksForWebSocket(HttpHeaders headers) {
        String upgrade = headers.get("Upgrade");
        return upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket");
    }

    /** The method of the request the next response answers (called by the response decoder). */
    private String outstandingMethod() {
        Exchange exchange = awaitingResponse.peekFirst();
        return exchange == null ? null : exchange.method();
    }

    private void stopAndFailAwaiting(String reason) {
        if (!active) {
            return;
        }
        failAwaiting("not observed: " + reason, Instant.now());
        stop(reason);
    }

    private void failAwaiting(String error, Instant now) {
        Exchange exchange;
        while ((exchange = awaitingResponse.pollFirst()) != null) {
            exchange.fail(error, now);
            recorder.exchangeFinished(exchange);
        }
        requestBodyOwner = null;
    }

    /** Marks the observer stopped; the decoders are released once they are no longer on the stack. */
    private void stop(String reason) {
        if (active) {
            active = false;
            stopReason = reason;
        }
    }

    private void releaseDecoders() {
        ByteBuf held = takeHeldClientBytes();
        if (held != null) {
            held.release();
        }
        try {
            requests.discard();
        } catch (Exception ignored) {
            // a decoder failing while it shuts down has nothing left to tell us
        }
        try {
            responses.discard();
        } catch (Exception ignored) {
            // as above
        }
    }

    /** No controls or spaces in a request target; Netty lets them through. Raw non-ASCII is tolerated. */
    private static boolean hasNoControls(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return !target.isEmpty();
    }

    private static List<Header> headerList(HttpHeaders headers) {
        List<Header> list = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> header : headers) {
            list.add(new Header(header.getKey(), header.getValue()));
        }
        return list;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
