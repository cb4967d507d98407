package dev.jtap.e2e.support;

import java.util.List;
import java.util.Map;

/**
 * A request as {@link TestHttpServer} saw it. Header names are lower-case; {@code protocol} is
 * {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}; {@code tls} tells which listener it came in on.
 */
public record RecordedRequest(String method, String uri, String path, String protocol, boolean tls,
                              Map<String, List<String>> headers, long bodyLength, String bodySha256) {

    /** First value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    @Override
    public String toString() {
        return method + " " + uri + " " + protocol + " (" + bodyLength + " body bytes)";
    }
}
