package dev.jtap.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.testing.AtOnce;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleSinkTest {

    private static final String TEXT = "hello from a compressed body";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(captured, true, UTF_8);

    @Test
    void requestAndResponseLines() {
        ConsoleSink sink = new ConsoleSink(out, false, false, false);
        Exchange e = exchange("GET", "http://h/x");
        sink.requestSent(e);
        respond(e, 200, List.of(), "hello".getBytes(UTF_8));
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("---> GET http://h/x", "<--- 200 http://h/x (5 bytes)");
    }

    @Test
    void failureLine() {
        ConsoleSink sink = new ConsoleSink(out, false, true, true);
        Exchange e = exchange("POST", "https://h/y");
        e.fail("connection reset", Instant.now());
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("<--- ERR https://h/y (connection reset)");
    }

    @Test
    void headerLines() {
        ConsoleSink sink = new ConsoleSink(out, false, true, false);
        Exchange e = new Exchange(1, Instant.now(), "GET", "http://h/x", "HTTP/1.1",
                List.of(new Header("Host", "h"), new Header("accept", "*/*")), 1024);
        sink.requestSent(e);
        respond(e, 404, List.of(new Header("Content-Length", "0")), new byte[0]);
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("---> GET http://h/x", "> Host: h", "> accept: */*",
                "<--- 404 http://h/x (0 bytes)", "< Content-Length: 0");
    }

    @ParameterizedTest
    @CsvSource({"gzip", "x-gzip", "deflate", "br", "zstd", "'gzip, br'", "'br,zstd'", "'deflate, gzip'"})
    void decodedBodies(String encoding) {
        byte[] body = TEXT.getBytes(UTF_8);
        List<String> codings = BodyDecoder.codings(encoding);
        for (String coding : codings) {
            body = switch (coding) {
                case "gzip", "x-gzip" -> Compress.gzip(body);
                case "deflate" -> Compress.zlib(body);
                case "br" -> Compress.brotli(body);
                case "zstd" -> Compress.zstd(body);
                default -> throw new IllegalArgumentException(coding);
            };
        }
        ConsoleSink sink = new ConsoleSink(out, false, false, true);
        Exchange e = exchange("GET", "http://h/z");
        respond(e, 200, List.of(new Header("Content-Type", "application/octet-stream"),
                new Header("Content-Encoding", encoding)), body);
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("<--- 200 http://h/z (" + body.length + " bytes)", TEXT);
    }

    @Test
    void rawDeflateBody() {
        ConsoleSink sink = new ConsoleSink(out, false, false, true);
        Exchange e = exchange("GET", "http://h/z");
        byte[] body = Compress.rawDeflate(TEXT.getBytes(UTF_8));
        respond(e, 200, List.of(new Header("Content-Encoding", "deflate")), body);
        sink.exchangeFinished(e);
        assertThat(lines()).endsWith(TEXT);
    }

    @Test
    void binaryBodyIsSummarised() {
        ConsoleSink sink = new ConsoleSink(out, false, false, true);
        Exchange e = exchange("GET", "http://h/img");
        byte[] png = new byte[1229];
        png[0] = (byte) 0x89;
        respond(e, 200, List.of(new Header("Content-Type", "image/png")), png);
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("<--- 200 http://h/img (1229 bytes)", "[binary body: image/png, 1.2 KB]");
    }

    @Test
    void undecodableBodyIsSummarised() {
        ConsoleSink sink = new ConsoleSink(out, false, false, true);
        Exchange e = exchange("GET", "http://h/bad");
        respond(e, 200, List.of(new Header("Content-Encoding", "gzip")), "not gzip".getBytes(UTF_8));
        sink.exchangeFinished(e);
        assertThat(lines()).hasSize(2).last().asString().startsWith("[undecodable body");
    }

    @Test
    void truncatedBodySaysSo() {
        ConsoleSink sink = new ConsoleSink(out, false, false, true);
        Exchange e = new Exchange(1, Instant.now(), "GET", "http://h/big", "HTTP/1.1", List.of(), 10);
        e.responseHead(200, "OK", List.of(new Header("Content-Type", "text/plain")), Instant.now());
        byte[] chunk = "x".repeat(1 << 20).getBytes(UTF_8);
        for (int i = 0; i < 5; i++) {
            e.responseBody().append(chunk, 0, chunk.length);
        }
        e.finish(Instant.now());
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("<--- 200 http://h/big (5242880 bytes)", "xxxxxxxxxx",
                "[… truncated, 5.0 MB total]");
    }

    @Test
    void requestBodyIsShownWithRequestOrBeforeResponse() {
        ConsoleSink sink = new ConsoleSink(out, false, false, true);
        Exchange e = new Exchange(1, Instant.now(), "POST", "http://h/p", "HTTP/1.1",
                List.of(new Header("Content-Type", "application/json")), 1024);
        sink.requestSent(e);
        e.requestBody().append("{\"a\":1}".getBytes(UTF_8), 0, 7);
        respond(e, 200, List.of(), "ok".getBytes(UTF_8));
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("---> POST http://h/p", "{\"a\":1}", "<--- 200 http://h/p (2 bytes)", "ok");
    }

    @Test
    void coloursOnlyWhenAsked() {
        new ConsoleSink(out, false, true, true).requestSent(exchange("GET", "http://h/"));
        assertThat(captured.toString(UTF_8)).doesNotContain("\u001b");

        ConsoleSink coloured = new ConsoleSink(out, true, false, false);
        Exchange request = exchange("GET", "http://h/");
        coloured.requestSent(request);
        int[][] statusAndColour = {{200, 32}, {302, 35}, {404, 33}, {503, 31}};
        for (int[] pair : statusAndColour) {
            Exchange e = exchange("GET", "http://h/");
            respond(e, pair[0], List.of(), new byte[0]);
            coloured.exchangeFinished(e);
        }
        Exchange failed = exchange("GET", "http://h/");
        failed.fail("connection reset", Instant.now());
        coloured.exchangeFinished(failed);
        assertThat(lines()).containsExactly(
                "---> GET http://h/",
                "\u001b[1;34m---> GET http://h/\u001b[0m",
                "\u001b[32m<--- 200 http://h/ (0 bytes)\u001b[0m",
                "\u001b[35m<--- 302 http://h/ (0 bytes)\u001b[0m",
                "\u001b[33m<--- 404 http://h/ (0 bytes)\u001b[0m",
                "\u001b[31m<--- 503 http://h/ (0 bytes)\u001b[0m",
                "\u001b[31m<--- ERR http://h/ (connection reset)\u001b[0m");
    }

    @Test
    void concurrentExchangesNeverInterleave() throws Exception {
        ConsoleSink sink = new ConsoleSink(out, false, true, true);
        int threads = 8;
        int perThread = 200;
        AtOnce.run(threads, perThread, (thread, i) -> {
            String id = thread + "-" + i;
            List<Header> headers = new ArrayList<>();
            for (int h = 0; h < 5; h++) {
                headers.add(new Header("X-Id", id));
            }
            Exchange e = new Exchange(1, Instant.now(), "GET", "http://h/" + id, "HTTP/1.1", headers, 64);
            sink.requestSent(e);
            respond(e, 200, headers, ("body " + id).getBytes(UTF_8));
            sink.exchangeFinished(e);
        });

        List<String> lines = lines();
        assertThat(lines).hasSize(threads * perThread * 13);
        for (int at = 0; at < lines.size(); ) {
            String line = lines.get(at);
            String id = line.substring(line.lastIndexOf('/') + 1).replaceAll(" .*", "");
            boolean request = line.startsWith("---> ");
            if (request) {
                assertThat(line).isEqualTo("---> GET http://h/" + id);
            } else {
                assertThat(line).isEqualTo("<--- 200 http://h/" + id + " (" + ("body " + id).length() + " bytes)");
            }
            for (int h = 1; h <= 5; h++) {
                assertThat(lines.get(at + h)).isEqualTo((request ? "> " : "< ") + "X-Id: " + id);
            }
            at += 6;
            if (!request) {
                assertThat(lines.get(at)).isEqualTo("body " + id);
                at++;
            }
        }
    }

    private static Exchange exchange(String method, String url) {
        return new Exchange(1, Instant.now(), method, url, "HTTP/1.1", List.of(), 1 << 20);
    }

    private static void respond(Exchange e, int status, List<Header> headers, byte[] body) {
        e.responseHead(status, "", headers, Instant.now());
        e.responseBody().append(body, 0, body.length);
        e.finish(Instant.now());
    }

    private List<String> lines() {
        return captured.toString(UTF_8).lines().toList();
    }
}
