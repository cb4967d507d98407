package dev.jtap.record;

/** A body could not be undone from its Content-Encoding. */
public final class BodyDecodingException extends RuntimeException {

    public BodyDecodingException(String message, Throwable cause) {
        super(message, cause);
    }

    public BodyDecodingException(String message) {
        super(message);
    }
}
