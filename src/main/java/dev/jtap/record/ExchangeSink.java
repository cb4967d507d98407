package dev.jtap.record;

/** Something that wants to hear about exchanges: the console, a HAR writer, a test. */
public interface ExchangeSink {

    /** The request head has been seen; the request body may still be arriving. */
    void requestSent(Exchange exchange);

    /** The response completed, or the exchange failed ({@link Exchange#error()} is then non-null). */
    void exchangeFinished(Exchange exchange);

    default void close() {
    }
}
