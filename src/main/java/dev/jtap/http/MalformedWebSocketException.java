package dev.jtap.http;

/** A WebSocket stream broke the framing rules; the observer stops following it. */
final class MalformedWebSocketException extends RuntimeException {

    MalformedWebSocketException(String message) {
        super(message, null, false, false);
    }
}
