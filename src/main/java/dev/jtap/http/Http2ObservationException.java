package dev.jtap.http;

/** HTTP/2 bytes the observer cannot follow; it stops observing the connection. */
final class Http2ObservationException extends RuntimeException {

    Http2ObservationException(String message) {
        super(message, null, false, false);
    }
}
