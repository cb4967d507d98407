package dev.jtap.record.capture;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/** Shared pieces of JSON output: one factory, compact documents as bytes, and timestamps. */
final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private Json() {
    }

    /** The UTF-8 bytes of whatever {@code content} writes; the generator is flushed, not closed. */
    static byte[] bytes(Consumer<JsonGenerator> content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            content.accept(generator);
            generator.flush();
            return out.toByteArray();
        }
    }

    /** ISO-8601 with milliseconds and the zone's offset, e.g. {@code 2025-01-31T09:15:02.137+01:00}. */
    static String timestamp(Instant instant, ZoneId zone) {
        return TIMESTAMP.format(OffsetDateTime.ofInstant(instant, zone));
    }

    /** Seconds since the epoch with sub-second precision, as HAR's WebSocket messages use. */
    static double epochSeconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
