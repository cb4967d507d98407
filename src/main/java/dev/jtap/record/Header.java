package dev.jtap.record;

import java.util.List;
import java.util.Objects;

/** One header line, with the name spelled exactly as it was sent. */
public record Header(String name, String value) {

    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** The value of the first header called {@code name} (case-insensitive), or null. */
    public static String firstValue(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.name.equalsIgnoreCase(name)) {
                return header.value;
            }
        }
        return null;
    }
}
