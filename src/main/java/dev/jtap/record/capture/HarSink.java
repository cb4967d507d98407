package dev.jtap.record.capture;

import dev.jtap.record.Exchange;
import dev.jtap.record.ExchangeSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a HAR 1.2 file that is complete after every finished exchange, so that a killed jtap still
 * leaves a valid file. The file is the header, the entries in the order they finished, and a closing
 * trailer; each new entry is written over the old trailer and followed by a new one, in a single
 * positioned write that reaches the file before {@link #exchangeFinished} returns.
 */
public final class HarSink implements ExchangeSink {

    static final String INCOMPLETE = "incomplete: jtap exited";

    private static final byte[] TRAILER = "\n]}}\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FIRST_SEPARATOR = "\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEPARATOR = ",\n".getBytes(StandardCharsets.US_ASCII);

    private final FileChannel file;
    private final HarEntryWriter entries;
    private final Clock clock;
    /** Announced but not yet finished, in announcement order; written as incomplete on close. */
    private final Map<Long, Exchange> unfinished = new LinkedHashMap<>();
    /** Where the trailer starts: the end of the last entry. */
    private long entriesEnd;
    private boolean hasEntries;
    private boolean closed;

    public HarSink(Path file, String creatorVersion) throws IOException {
        this(file, creatorVersion, Clock.systemDefaultZone());
    }

    /** As {@link #HarSink(Path, String)}, with timestamps and incomplete exchanges timed by {@code clock}. */
    public HarSink(Path file, String creatorVersion, Clock clock) throws IOException {
        Objects.requireNonNull(creatorVersion, "creatorVersion");
        this.file = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.entries = new HarEntryWriter(clock.getZone());
        this.clock = clock;
        byte[] header = header(creatorVersion);
        try {
            writeAt(0, header, TRAILER);
        } catch (IOException e) {
            this.file.close();
            throw e;
        }
        entriesEnd = header.length;
    }

    private static byte[] header(String creatorVersion) {
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeObjectPropertyStart("log");
            g.writeStringProperty("version", "1.2");
            g.writeObjectPropertyStart("creator");
            g.writeStringProperty("name", "jtap");
            g.writeStringProperty("version", creatorVersion);
            g.writeEndObject();
            g.writeArrayPropertyStart("pages");
            g.writeEndArray();
            g.writeArrayPropertyStart("entries");
        });
    }

    @Override
    public synchronized void requestSent(Exchange exchange) {
        if (!closed) {
            unfinished.put(exchange.id(), exchange);
        }
    }

    @Override
    public synchronized void exchangeFinished(Exchange exchange) {
        if (closed) {
            return;
        }
        unfinished.remove(exchange.id());
        Instant end = exchange.finished() != null ? exchange.finished() : clock.instant();
        append(entries.entry(exchange, end, null));
    }

    /** Writes every unfinished exchange as an incomplete entry, then closes the file, which stays valid. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (FileChannel closing = file) {
            Instant now = clock.instant();
            for (Exchange exchange : unfinished.values()) {
                append(entries.entry(exchange, now, INCOMPLETE));
            }
            unfinished.clear();
            closing.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish HAR file", e);
        }
    }

    private void append(byte[] entry) {
        byte[] separator = hasEntries ? SEPARATOR : FIRST_SEPARATOR;
        try {
            writeAt(entriesEnd, separator, entry, TRAILER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write HAR entry", e);
        }
        entriesEnd += separator.length + entry.length;
        hasEntries = true;
    }

    /**
     * Writes the parts back to back from {@code position} and cuts the file off after them. The new
     * bytes are never shorter than the trailer they replace, so the cut only matters after a failed write.
     */
    private void writeAt(long position, byte[]... parts) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[parts.length];
        long length = 0;
        for (int i = 0; i < parts.length; i++) {
            buffers[i] = ByteBuffer.wrap(parts[i]);
            length += parts[i].length;
        }
        file.position(position);
        long written = 0;
        while (written < length) {
            written += file.write(buffers);
        }
        file.truncate(position + length);
    }
}
