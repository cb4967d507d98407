package dev.jtap.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.jtap.http.ObserverRun.Seen;
import dev.jtap.record.Compress;
import java.util.List;
import java.util.Random;

/** Valid HTTP/1.x conversations and what an observer should record for each. */
final class Conversations {

    record Case(Conversation conversation, List<Seen> expected, boolean upgraded) {
        @Override
        public String toString() {
            return conversation.name();
        }
    }

    static final String GZIP_TEXT = "compressed hello, compressed hello, compressed hello\n";
    static final byte[] GZIPPED = Compress.gzip(GZIP_TEXT.getBytes(ISO_8859_1));

    private Conversations() {
    }

    static List<Case> all() {
        return List.of(keepAlive(), pipelined(), chunkedWithTrailers(), headWithContentLength(), noContent(),
                notModified(), expectContinue(), closeDelimited(), closeDelimitedReset(), upgrade(), gzipBody(),
                connectTunnel(), absoluteFormAndDefaultPort());
    }

    static Case keepAlive() {
        Conversation c = Conversation.named("keep-alive")
                .client("GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nfirst")
                .client("POST /b HTTP/1.1\r\nHost: example.com:80\r\nContent-Length: 11\r\n\r\nhello world")
                .server("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nsec\r\n3\r\nond\r\n0\r\n\r\n")
                .client("GET /c HTTP/1.1\r\nHost: example.com:8080\r\nConnection: close\r\n\r\n")
                .server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .closedCleanly();
        return new Case(c, List.of(
                Seen.ok("GET", "http://example.com/a?x=1", 200, "first"),
                Seen.ok("POST", "http://example.com/b", 201, "second").withRequestBytes(11),
                Seen.ok("GET", "http://example.com:8080/c", 404, "")), false);
    }

    static Case pipelined() {
        Conversation c = Conversation.named("pipelined")
                .client("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: h\r\n\r\n"
                        + "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthree\r\n0\r\n\r\n")
                .closedCleanly();
        return new Case(c, List.of(
                Seen.ok("GET", "http://h/1", 200, "one"),
                Seen.ok("HEAD", "http://h/2", 200, ""),
                Seen.ok("GET", "http://h/3", 200, "three")), false);
    }

    static Case chunkedWithTrailers() {
        Conversation c = Conversation.named("chunked with trailers")
                .client("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "4\r\nabcd\r\n0\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                        + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n")
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("POST", "http://h/upload", 200, "hello world").withRequestBytes(4)), false);
    }

    static Case headWithContentLength() {
        Conversation c = Conversation.named("HEAD with Content-Length")
                .client("HEAD /big HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 123456\r\n\r\n")
                .client("GET /small HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("HEAD", "http://h/big", 200, ""), Seen.ok("GET", "http://h/small", 200, "hi")),
                false);
    }

    static Case noContent() {
        Conversation c = Conversation.named("204")
                .client("DELETE /item/1 HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 204 No Content\r\n\r\n")
                .client("GET /item/1 HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 410 Gone\r\nContent-Length: 4\r\n\r\ngone")
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("DELETE", "http://h/item/1", 204, ""),
                Seen.ok("GET", "http://h/item/1", 410, "gone")), false);
    }

    static Case notModified() {
        Conversation c = Conversation.named("304")
                .client("GET /cached HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"x\"\r\n\r\n")
                .server("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 99\r\n\r\n")
                .client("GET /next HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!")
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("GET", "http://h/cached", 304, ""), Seen.ok("GET", "http://h/next", 200, "!")),
                false);
    }

    static Case expectContinue() {
        Conversation c = Conversation.named("100-continue")
                .client("PUT /file HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
                .server("HTTP/1.1 100 Continue\r\n\r\n")
                .client("data")
                .server("HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\ncreated")
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("PUT", "http://h/file", 201, "created").withRequestBytes(4)), false);
    }

    static Case closeDelimited() {
        Conversation c = Conversation.named("close-delimited")
                .client("GET /stream HTTP/1.0\r\nHost: h\r\n\r\n")
                .server("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
                .server(" of the connection")
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("GET", "http://h/stream", 200, "until the end of the connection")), false);
    }

    static Case closeDelimitedReset() {
        Conversation c = Conversation.named("close-delimited reset")
                .client("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\n\r\npartial")
                .client("GET /never HTTP/1.1\r\nHost: h\r\n\r\n")
                .closedWith("connection reset");
        return new Case(c, List.of(
                new Seen("GET", "http://h/stream", 200, 0, 7, "partial", "connection reset mid-response after 7 body bytes"),
                new Seen("GET", "http://h/never", 0, 0, 0, "", "connection reset")), false);
    }

    static Case upgrade() {
        byte[] random = new byte[300];
        new Random(42).nextBytes(random);
        Conversation c = Conversation.named("101 upgrade")
                .client("GET /chat HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .server(concat("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", random))
                .client(random)
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("GET", "http://ws.test/chat", 101, "")), true);
    }

    static Case gzipBody() {
        Conversation c = Conversation.named("gzip body")
                .client("GET /z HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n")
                .server(concat("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: " + GZIPPED.length + "\r\n\r\n", GZIPPED))
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("GET", "http://h/z", 200, new String(GZIPPED, ISO_8859_1))), false);
    }

    static Case connectTunnel() {
        Conversation c = Conversation.named("CONNECT")
                .client("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
                .server("HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003\u0001 tls bytes")
                .client("\u0016\u0003\u0001 more tls")
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("CONNECT", "http://example.com:443", 200, "")), true);
    }

    static Case absoluteFormAndDefaultPort() {
        Conversation c = Conversation.named("absolute-form and missing Host")
                .client("GET http://other.test:8080/p HTTP/1.1\r\nHost: other.test:8080\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .client("GET /no-host HTTP/1.0\r\n\r\n")
                .server("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
                .closedCleanly();
        return new Case(c, List.of(Seen.ok("GET", "http://other.test:8080/p", 200, ""),
                Seen.ok("GET", "http://default.test/no-host", 200, "")), false);
    }

    static byte[] concat(String head, byte[] tail) {
        byte[] headBytes = head.getBytes(ISO_8859_1);
        byte[] all = new byte[headBytes.length + tail.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(tail, 0, all, headBytes.length, tail.length);
        return all;
    }
}
