package dev.jtap.record.capture;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jtap.record.Compress;
import dev.jtap.record.Exchange;
import dev.jtap.record.Header;
import dev.jtap.record.WebSocketMessage;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Finished exchanges of the kinds a HAR file must hold, all starting at {@link #T0} plus an offset. */
final class SampleExchanges {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final byte[] PNG = pngLike();

    private SampleExchanges() {
    }

    static Exchange get() {
        Exchange e = new Exchange(1, T0, "GET", "https://example.com/search?q=caf%C3%A9+au+lait&page=2&flag#top",
                "HTTP/1.1", List.of(new Header("Host", "example.com"), new Header("Cookie", "sid=abc; theme=dark")), 1024);
        e.markRequestSent(T0.plusMillis(2));
        e.serverAddress("93.184.216.34");
        e.responseHead(200, "OK", List.of(new Header("Content-Type", "text/html; charset=utf-8"),
                new Header("Set-Cookie", "sid=xyz; Path=/; Domain=example.com; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; Secure")),
                T0.plusMillis(30));
        append(e, false, "<html>héllo</html>".getBytes(UTF_8));
        e.finish(T0.plusMillis(35));
        return e;
    }

    static Exchange postJson() {
        Exchange e = new Exchange(2, T0, "POST", "http://api.test/items", "HTTP/2",
                List.of(new Header("content-type", "application/json")), 1024);
        append(e, true, "{\"name\":\"widget\",\"count\":3}".getBytes(UTF_8));
        e.markRequestSent(T0.plusMillis(1));
        e.responseHead(201, "", List.of(new Header("content-type", "application/json")), T0.plusMillis(10));
        append(e, false, "{\"id\":7}".getBytes(UTF_8));
        e.finish(T0.plusMillis(11));
        return e;
    }

    static Exchange gzippedPng() {
        Exchange e = new Exchange(3, T0, "GET", "http://img.test/logo.png", "HTTP/1.1", List.of(), 1 << 16);
        e.markRequestSent(T0);
        e.responseHead(200, "OK", List.of(new Header("Content-Type", "image/png"),
                new Header("Content-Encoding", "gzip")), T0.plusMillis(5));
        append(e, false, Compress.gzip(PNG));
        e.finish(T0.plusMillis(6));
        return e;
    }

    /** A 5000-byte text body recorded with maxBody 100. */
    static Exchange truncated() {
        Exchange e = new Exchange(4, T0, "GET", "http://big.test/file.txt", "HTTP/1.1", List.of(), 100);
        e.markRequestSent(T0);
        e.responseHead(200, "OK", List.of(new Header("Content-Type", "text/plain")), T0.plusMillis(3));
        for (int i = 0; i < 50; i++) {
            append(e, false, "0123456789".repeat(10).getBytes(UTF_8));
        }
        e.finish(T0.plusMillis(9));
        return e;
    }

    static Exchange failed() {
        Exchange e = new Exchange(5, T0, "GET", "https://down.test/", "HTTP/1.1", List.of(), 1024);
        e.markRequestSent(T0.plusMillis(1));
        e.fail("connection refused", T0.plusMillis(4));
        return e;
    }

    static List<Exchange> redirectChain() {
        Exchange first = new Exchange(6, T0, "GET", "http://old.test/a", "HTTP/1.1", List.of(), 1024);
        first.markRequestSent(T0);
        first.responseHead(301, "Moved Permanently", List.of(new Header("Location", "https://new.test/a")), T0.plusMillis(2));
        first.finish(T0.plusMillis(2));
        Exchange second = new Exchange(7, T0.plusMillis(3), "GET", "https://new.test/a", "HTTP/1.1", List.of(), 1024);
        second.markRequestSent(T0.plusMillis(3));
        second.responseHead(200, "OK", List.of(new Header("Content-Type", "text/plain")), T0.plusMillis(8));
        append(second, false, "arrived".getBytes(UTF_8));
        second.finish(T0.plusMillis(9));
        return List.of(first, second);
    }

    static Exchange webSocket() {
        Exchange e = new Exchange(8, T0, "GET", "ws://chat.test/socket", "HTTP/1.1",
                List.of(new Header("Upgrade", "websocket"), new Header("Connection", "Upgrade")), 1024);
        e.markRequestSent(T0);
        e.responseHead(101, "Switching Protocols", List.of(new Header("Upgrade", "websocket")), T0.plusMillis(4));
        e.addWebSocketMessage(new WebSocketMessage(true, T0.plusMillis(5), 1, "hello", 5));
        e.addWebSocketMessage(new WebSocketMessage(false, T0.plusMillis(7), 1, "world", 5));
        e.addWebSocketMessage(new WebSocketMessage(true, T0.plusMillis(9), 8, "1000 bye", 5));
        e.finish(T0.plusMillis(10));
        return e;
    }

    /** Every sample, in the order a test finishes them. */
    static List<Exchange> all() {
        List<Exchange> redirects = redirectChain();
        return List.of(get(), postJson(), gzippedPng(), truncated(), failed(), redirects.get(0), redirects.get(1),
                webSocket());
    }

    static void append(Exchange e, boolean request, byte[] bytes) {
        (request ? e.requestBody() : e.responseBody()).append(bytes, 0, bytes.length);
    }

    private static byte[] pngLike() {
        byte[] png = new byte[600];
        new Random(42).nextBytes(png);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(signature, 0, png, 0, signature.length);
        return png;
    }
}
