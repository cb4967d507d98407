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

    /**
     * True for sinks that show events to the user (the console). The recorder hands every event to
     * the other sinks (files) first, so whatever the user has seen is already on disk: a jtap killed
     * right after printing an exchange still leaves it in the HAR and JSON lines.
     */
    default boolean isDisplay() {
        return false;
    }

    default void close() {
    }
}
