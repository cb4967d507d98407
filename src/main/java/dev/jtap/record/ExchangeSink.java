package dev.jtap.record;

/** Something that wants to hear about exchanges: the console, a HAR writer, a test. */
public interface ExchangeSink {

    /** The request head has been seen; the request body may still be arriving. */
    void requestSent(Exchange exchange);

    /** The response completed, or the exchange failed ({@link Exchange#error()} is then non-null). */
    void exchangeFinished(Exchange exchange);

    /** A streamed response's head arrived (its body is still flowing); shown before it ends. */
    default void responseStarted(Exchange exchange) {
    }

    /** A WebSocket message or control frame of an upgraded exchange. */
    default void webSocketMessage(Exchange exchange, WebSocketMessage message) {
    }

    /** One complete event of a {@code text/event-stream} response, as its raw field lines. */
    default void serverSentEvent(Exchange exchange, String eventText) {
    }

    default void close() {
    }
}
