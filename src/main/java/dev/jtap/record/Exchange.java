package dev.jtap.record;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP request and its response. Written by a single protocol observer; sinks read it after the
 * event that announced it, so the mutable parts are volatile and the bodies synchronise themselves.
 */
public final class Exchange {

    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final long id = NEXT_ID.getAndIncrement();
    private final long connectionId;
    private final Instant started;
    private final String method;
    private final String url;
    private final String httpVersion;
    private final List<Header> requestHeaders;
    private final Body requestBody;
    private final Body responseBody;

    private volatile Instant requestSent;
    private volatile int status;
    private volatile String reason = "";
    private volatile List<Header> responseHeaders = List.of();
    private volatile Instant responseStarted;
    private volatile Instant finished;
    private volatile String error;
    private volatile String serverAddress;
    private volatile List<Header> responseTrailers = List.of();
    private final List<WebSocketMessage> webSocketMessages = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Exchange(long connectionId, Instant started, String method, String url, String httpVersion,
            List<Header> requestHeaders, int maxBody) {
        this.connectionId = connectionId;
        this.started = started;
        this.method = method;
        this.url = url;
        this.httpVersion = httpVersion;
        this.requestHeaders = List.copyOf(requestHeaders);
        this.requestBody = new Body(maxBody);
        this.responseBody = new Body(maxBody);
    }

    public void markRequestSent(Instant at) {
        requestSent = at;
    }

    public void responseHead(int status, String reason, List<Header> headers, Instant at) {
        this.status = status;
        this.reason = reason == null ? "" : reason;
        this.responseHeaders = List.copyOf(headers);
        this.responseStarted = at;
    }

    public void finish(Instant at) {
        finished = at;
    }

    public void fail(String error, Instant at) {
        this.error = error;
        finished = at;
    }

    /** The IP address jtap connected to for this exchange. */
    public void serverAddress(String address) {
        serverAddress = address;
    }

    public void responseTrailers(List<Header> trailers) {
        responseTrailers = List.copyOf(trailers);
    }

    public void addWebSocketMessage(WebSocketMessage message) {
        webSocketMessages.add(message);
    }

    public long id() { return id; }
    public long connectionId() { return connectionId; }
    public Instant started() { return started; }
    public String method() { return method; }
    public String url() { return url; }
    public String httpVersion() { return httpVersion; }
    public List<Header> requestHeaders() { return requestHeaders; }
    public Body requestBody() { return requestBody; }
    public Instant requestSent() { return requestSent; }
    /** The final status code, 0 until a response head has been seen. */
    public int status() { return status; }
    public String reason() { return reason; }
    public List<Header> responseHeaders() { return responseHeaders; }
    public Body responseBody() { return responseBody; }
    public Instant responseStarted() { return responseStarted; }
    public Instant finished() { return finished; }
    /** Why the exchange failed, or null if it completed. */
    public String error() { return error; }
    public boolean isFinished() { return finished != null; }
    public String serverAddress() { return serverAddress; }
    public List<Header> responseTrailers() { return responseTrailers; }
    /** Messages of a WebSocket exchange, in order (HAR's {@code _webSocketMessages}). */
    public List<WebSocketMessage> webSocketMessages() { return webSocketMessages; }

    @Override
    public String toString() {
        return "Exchange#" + id + "[" + method + " " + url + " -> " + (error != null ? "ERR " + error : status) + "]";
    }
}
