package dev.jtap.http;

import dev.jtap.record.Header;
import java.util.List;
import java.util.Locale;

/** Which responses are shown as they start rather than only when they end. */
final class StreamingResponses {

    private StreamingResponses() {
    }

    /** Server-sent events, or a body whose length is not announced up front. */
    static boolean isStreaming(List<Header> responseHeaders) {
        return isEventStream(responseHeaders) || Header.firstValue(responseHeaders, "content-length") == null;
    }

    /** A {@code text/event-stream} body that is not content-encoded, so its events can be read as they come. */
    static boolean isEventStream(List<Header> responseHeaders) {
        String type = Header.firstValue(responseHeaders, "content-type");
        String encoding = Header.firstValue(responseHeaders, "content-encoding");
        return type != null && type.trim().toLowerCase(Locale.ROOT).startsWith("text/event-stream")
                && (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity"));
    }
}
