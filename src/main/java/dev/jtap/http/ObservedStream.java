package dev.jtap.http;

import dev.jtap.record.Exchange;

/** What an {@link Http2Observer} knows about one HTTP/2 stream. */
final class ObservedStream {

    final int id;
    final Exchange exchange;
    /** The request was an extended CONNECT for the WebSocket protocol (RFC 8441). */
    final boolean webSocketRequest;
    boolean responseHeadSeen;
    boolean clientEnded;
    boolean serverEnded;
    /** Set once the extended CONNECT was accepted; the stream's DATA then carries WebSocket frames. */
    WebSocketObserver webSocket;
    /** Set for a {@code text/event-stream} response. */
    ServerSentEventSplitter events;

    ObservedStream(int id, Exchange exchange, boolean webSocketRequest) {
        this.id = id;
        this.exchange = exchange;
        this.webSocketRequest = webSocketRequest;
    }
}
