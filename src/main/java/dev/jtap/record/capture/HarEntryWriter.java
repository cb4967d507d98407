package dev.jtap.record.capture;

import dev.jtap.record.Exchange;
import dev.jtap.record.Header;
import dev.jtap.record.WebSocketMessage;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/** Writes one exchange as a HAR 1.2 entry object; jtap's additions are the fields starting with "_". */
final class HarEntryWriter {

    private final ZoneId zone;

    HarEntryWriter(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * @param end   when the exchange ended, or when jtap gave up on it
     * @param error why it failed (overriding {@link Exchange#error()}), or null to use the exchange's own
     */
    byte[] entry(Exchange exchange, Instant end, String error) {
        String failure = error != null ? error : exchange.error();
        HarTimings timings = HarTimings.of(exchange, end);
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringProperty("startedDateTime", Json.timestamp(exchange.started(), zone));
            g.writeNumberProperty("time", timings.total());
            writeRequest(g, exchange);
            writeResponse(g, exchange);
            g.writeObjectPropertyStart("cache");
            g.writeEndObject();
            writeTimings(g, timings);
            writeServerAddress(g, exchange.serverAddress());
            g.writeStringProperty("connection", String.valueOf(exchange.connectionId()));
            if (failure != null) {
                g.writeStringProperty("_error", failure);
            }
            if (!exchange.webSocketMessages().isEmpty()) {
                writeWebSocketMessages(g, exchange.webSocketMessages());
            }
            g.writeEndObject();
        });
    }

    private static void writeRequest(JsonGenerator g, Exchange exchange) {
        g.writeObjectPropertyStart("request");
        g.writeStringProperty("method", exchange.method());
        g.writeStringProperty("url", exchange.url());
        g.writeStringProperty("httpVersion", exchange.httpVersion());
        writeCookies(g, HarCookie.fromRequest(exchange.requestHeaders()));
        writeHeaders(g, "headers", exchange.requestHeaders());
        g.writeArrayPropertyStart("queryString");
        for (QueryString.Parameter parameter : QueryString.parse(exchange.url())) {
            writeNameValue(g, parameter.name(), parameter.value());
        }
        g.writeEndArray();
        if (!exchange.requestBody().isEmpty()) {
            writePostData(g, exchange.requestHeaders(), DecodedBody.of(exchange.requestBody(), exchange.requestHeaders()));
        }
        g.writeNumberProperty("headersSize", -1);
        g.writeNumberProperty("bodySize", exchange.requestBody().size());
        g.writeEndObject();
    }

    /** HAR's postData has no encoding field, so binary bodies carry base64 with an {@code _encoding} note. */
    private static void writePostData(JsonGenerator g, List<Header> headers, DecodedBody body) {
        g.writeObjectPropertyStart("postData");
        g.writeStringProperty("mimeType", DecodedBody.mimeType(headers));
        g.writeStringProperty("text", body.textOrBase64());
        if (!body.isText()) {
            g.writeStringProperty("_encoding", "base64");
        }
        writeBodyNotes(g, body);
        g.writeEndObject();
    }

    private static void writeResponse(JsonGenerator g, Exchange exchange) {
        List<Header> headers = exchange.responseHeaders();
        g.writeObjectPropertyStart("response");
        g.writeNumberProperty("status", exchange.status());
        g.writeStringProperty("statusText", exchange.reason());
        g.writeStringProperty("httpVersion", exchange.httpVersion());
        writeCookies(g, HarCookie.fromResponse(headers));
        writeHeaders(g, "headers", headers);
        if (!exchange.responseTrailers().isEmpty()) {
            writeHeaders(g, "_trailers", exchange.responseTrailers());
        }
        writeContent(g, headers, DecodedBody.of(exchange.responseBody(), headers));
        String location = Header.firstValue(headers, "Location");
        g.writeStringProperty("redirectURL", location == null ? "" : location);
        g.writeNumberProperty("headersSize", -1);
        g.writeNumberProperty("bodySize", exchange.responseBody().size());
        g.writeEndObject();
    }

    private static void writeContent(JsonGenerator g, List<Header> headers, DecodedBody body) {
        g.writeObjectPropertyStart("content");
        g.writeNumberProperty("size", body.size());
        if (body.decoded() && !body.truncated()) {
            g.writeNumberProperty("compression", body.size() - body.wireSize());
        }
        g.writeStringProperty("mimeType", DecodedBody.mimeType(headers));
        if (body.wireSize() > 0) {
            g.writeStringProperty("text", body.textOrBase64());
            if (!body.isText()) {
                g.writeStringProperty("encoding", "base64");
            }
        }
        writeBodyNotes(g, body);
        g.writeEndObject();
    }

    private static void writeBodyNotes(JsonGenerator g, DecodedBody body) {
        if (body.truncated()) {
            g.writeBooleanProperty("_truncated", true);
            g.writeNumberProperty("_wireSize", body.wireSize());
        }
        if (body.decodingError() != null) {
            g.writeStringProperty("_decodingError", body.decodingError());
        }
    }

    private static void writeTimings(JsonGenerator g, HarTimings timings) {
        g.writeObjectPropertyStart("timings");
        g.writeNumberProperty("blocked", -1);
        g.writeNumberProperty("dns", -1);
        g.writeNumberProperty("connect", -1);
        g.writeNumberProperty("ssl", -1);
        g.writeNumberProperty("send", timings.sendMillis());
        g.writeNumberProperty("wait", timings.waitMillis());
        g.writeNumberProperty("receive", timings.receiveMillis());
        g.writeEndObject();
    }

    /** HAR wants a bare IPv4 or IPv6 address here; anything else is kept under {@code _serverAddress}. */
    private static void writeServerAddress(JsonGenerator g, String address) {
        if (address == null) {
            return;
        }
        String literal = ipLiteral(address);
        if (literal != null) {
            g.writeStringProperty("serverIPAddress", literal);
        } else {
            g.writeStringProperty("_serverAddress", address);
        }
    }

    /** The address in canonical form (dotted quad, or full IPv6 without scope), or null if it is not one. */
    static String ipLiteral(String address) {
        try {
            String canonical = InetAddress.ofLiteral(address).getHostAddress();
            int scope = canonical.indexOf('%');
            return scope < 0 ? canonical : canonical.substring(0, scope);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    private static void writeWebSocketMessages(JsonGenerator g, List<WebSocketMessage> messages) {
        g.writeArrayPropertyStart("_webSocketMessages");
        for (WebSocketMessage message : messages) {
            g.writeStartObject();
            g.writeStringProperty("type", message.fromClient() ? "send" : "receive");
            g.writeNumberProperty("time", Json.epochSeconds(message.time()));
            g.writeNumberProperty("opcode", message.opcode());
            g.writeStringProperty("data", message.data());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeCookies(JsonGenerator g, List<HarCookie> cookies) {
        g.writeArrayPropertyStart("cookies");
        for (HarCookie cookie : cookies) {
            g.writeStartObject();
            g.writeStringProperty("name", cookie.name());
            g.writeStringProperty("value", cookie.value());
            writeIfPresent(g, "path", cookie.path());
            writeIfPresent(g, "domain", cookie.domain());
            writeIfPresent(g, "expires", cookie.expires());
            if (cookie.httpOnly()) {
                g.writeBooleanProperty("httpOnly", true);
            }
            if (cookie.secure()) {
                g.writeBooleanProperty("secure", true);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static void writeHeaders(JsonGenerator g, String property, List<Header> headers) {
        g.writeArrayPropertyStart(property);
        for (Header header : headers) {
            writeNameValue(g, header.name(), header.value());
        }
        g.writeEndArray();
    }

    private static void writeNameValue(JsonGenerator g, String name, String value) {
        g.writeStartObject();
        g.writeStringProperty("name", name);
        g.writeStringProperty("value", value);
        g.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator g, String property, String value) {
        if (value != null) {
            g.writeStringProperty(property, value);
        }
    }
}
