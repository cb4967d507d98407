package dev.jtap.record.capture;

import dev.jtap.record.Exchange;
import dev.jtap.record.ExchangeSink;
import dev.jtap.record.WebSocketMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;

/**
 * Writes JSON Lines: one object per finished exchange, DNS lookup or flow, each starting with its
 * {@code "type"} and flushed as soon as it is written. Lines are written whole under one lock, so
 * lines from concurrent callers never interleave.
 */
public final class JsonlSink implements ExchangeSink {

    private final OutputStream out;
    private final boolean closeStream;
    private final Clock clock;
    private final ZoneId zone;
    /** Announced but not yet finished, in announcement order; written as incomplete on close. */
    private final Map<Long, Exchange> unfinished = new LinkedHashMap<>();
    private boolean closed;

    /** Writes to {@code out}, which {@link #close()} closes unless it is {@link System#out}. */
    public JsonlSink(OutputStream out) {
        this(out, out != System.out, Clock.systemDefaultZone());
    }

    public JsonlSink(OutputStream out, boolean closeStream, Clock clock) {
        this.out = out;
        this.closeStream = closeStream;
        this.clock = clock;
        this.zone = clock.getZone();
    }

    @Override
    public synchronized void requestSent(Exchange exchange) {
        if (!closed) {
            unfinished.put(exchange.id(), exchange);
        }
    }

    @Override
    public void exchangeFinished(Exchange exchange) {
        synchronized (this) {
            unfinished.remove(exchange.id());
        }
        Instant end = exchange.finished() != null ? exchange.finished() : clock.instant();
        writeLine(g -> writeExchange(g, exchange, end, exchange.error()));
    }

    /** A DNS lookup the packet plane answered or forwarded. */
    public void dnsQuery(String name, String type, String rcode, List<String> answers, long elapsedMicros) {
        writeEvent("dns", g -> {
            g.writeStringProperty("name", name);
            g.writeStringProperty("queryType", type);
            g.writeStringProperty("rcode", rcode);
            g.writeArrayPropertyStart("answers");
            for (String answer : answers) {
                g.writeString(answer);
            }
            g.writeEndArray();
            g.writeNumberProperty("elapsedMicros", elapsedMicros);
        });
    }

    /**
     * A finished TCP or UDP flow.
     *
     * @param protocol "tcp" or "udp"
     * @param outcome  how it ended, e.g. "closed", "reset", "timeout", "refused"
     */
    public void flow(String protocol, String src, String dst, long bytesUp, long bytesDown, String outcome) {
        writeEvent("flow", g -> {
            g.writeStringProperty("protocol", protocol);
            g.writeStringProperty("src", src);
            g.writeStringProperty("dst", dst);
            g.writeNumberProperty("bytesUp", bytesUp);
            g.writeNumberProperty("bytesDown", bytesDown);
            g.writeStringProperty("outcome", outcome);
        });
    }

    /** Writes unfinished exchanges with the error "incomplete: jtap exited", flushes, and closes the stream. */
    @Override
    public void close() {
        List<Exchange> incomplete;
        synchronized (this) {
            if (closed) {
                return;
            }
            incomplete = List.copyOf(unfinished.values());
            unfinished.clear();
        }
        Instant now = clock.instant();
        for (Exchange exchange : incomplete) {
            writeLine(g -> writeExchange(g, exchange, now, HarSink.INCOMPLETE));
        }
        synchronized (this) {
            closed = true;
            try {
                out.flush();
                if (closeStream) {
                    out.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close JSON Lines output", e);
            }
        }
    }

    private void writeExchange(JsonGenerator g, Exchange exchange, Instant end, String error) {
        g.writeStringProperty("type", "exchange");
        g.writeNumberProperty("id", exchange.id());
        g.writeNumberProperty("connection", exchange.connectionId());
        g.writeStringProperty("started", Json.timestamp(exchange.started(), zone));
        g.writeStringProperty("method", exchange.method());
        g.writeStringProperty("url", exchange.url());
        g.writeStringProperty("httpVersion", exchange.httpVersion());
        g.writeNumberProperty("status", exchange.status());
        g.writeStringProperty("reason", exchange.reason());
        HarEntryWriter.writeHeaders(g, "requestHeaders", exchange.requestHeaders());
        HarEntryWriter.writeHeaders(g, "responseHeaders", exchange.responseHeaders());
        g.writeNumberProperty("requestBodySize", exchange.requestBody().size());
        g.writeNumberProperty("responseBodySize", exchange.responseBody().size());
        Duration duration = Duration.between(exchange.started(), end);
        g.writeNumberProperty("durationMs", Math.max(0, duration.getSeconds() * 1e3 + duration.getNano() / 1e6));
        if (error != null) {
            g.writeStringProperty("error", error);
        }
        if (exchange.serverAddress() != null) {
            g.writeStringProperty("serverAddress", exchange.serverAddress());
        }
        if (!exchange.webSocketMessages().isEmpty()) {
            g.writeArrayPropertyStart("webSocketMessages");
            for (WebSocketMessage message : exchange.webSocketMessages()) {
                g.writeStartObject();
                g.writeStringProperty("type", message.fromClient() ? "send" : "receive");
                g.writeNumberProperty("time", Json.epochSeconds(message.time()));
                g.writeNumberProperty("opcode", message.opcode());
                g.writeStringProperty("data", message.data());
                g.writeNumberProperty("length", message.length());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    /** A line of the given type stamped with the time now, then {@code fields}. */
    private void writeEvent(String type, Consumer<JsonGenerator> fields) {
        Instant now = clock.instant();
        writeLine(g -> {
            g.writeStringProperty("type", type);
            g.writeStringProperty("time", Json.timestamp(now, zone));
            fields.accept(g);
        });
    }

    /** Builds the line outside the lock, then writes and flushes it whole. */
    private void writeLine(Consumer<JsonGenerator> fields) {
        byte[] json = Json.bytes(g -> {
            g.writeStartObject();
            fields.accept(g);
            g.writeEndObject();
        });
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write JSON Lines output", e);
            }
        }
    }
}
