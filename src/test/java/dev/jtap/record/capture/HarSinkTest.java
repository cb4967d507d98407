package dev.jtap.record.capture;

import static dev.jtap.record.capture.JsonTree.array;
import static dev.jtap.record.capture.JsonTree.object;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.Exchange;
import dev.jtap.record.Header;
import dev.jtap.testing.AtOnce;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarSinkTest {

    private static final Clock CLOCK = Clock.fixed(SampleExchanges.T0.plusSeconds(60), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void anEmptyRunLeavesAValidHarWithNoEntries() throws IOException {
        Path file = dir.resolve("empty.har");
        HarSink sink = new HarSink(file, "0.1.0", CLOCK);
        assertThat(entries(file)).isEmpty();
        sink.close();
        Map<String, Object> log = object(object(read(file)).get("log"));
        assertThat(log.get("version")).isEqualTo("1.2");
        assertThat(object(log.get("creator"))).containsEntry("name", "jtap").containsEntry("version", "0.1.0");
    }

    @Test
    void theFileIsACompleteHarAfterEveryFinishedExchange() throws IOException {
        Path file = dir.resolve("run.har");
        HarSink sink = new HarSink(file, "0.1.0", CLOCK);
        List<Exchange> exchanges = SampleExchanges.all();
        for (int i = 0; i < exchanges.size(); i++) {
            sink.requestSent(exchanges.get(i));
            sink.exchangeFinished(exchanges.get(i));
            Object har = read(file);
            assertThat(HarStructure.problems(har)).isEmpty();
            List<Object> entries = array(object(object(har).get("log")).get("entries"));
            assertThat(entries).hasSize(i + 1);
            assertThat(object(request(entries.get(i))).get("url")).isEqualTo(exchanges.get(i).url());
        }
        sink.close();
        assertThat(entries(file)).hasSize(exchanges.size());
    }

    @Test
    void plainGet() throws IOException {
        Map<String, Object> entry = onlyEntry(SampleExchanges.get());
        assertThat(entry.get("startedDateTime")).isEqualTo("2025-03-01T12:00:00.000Z");
        assertThat(entry.get("time")).isEqualTo(35.0);
        assertThat(object(entry.get("timings"))).containsEntry("send", 2.0).containsEntry("wait", 28.0)
                .containsEntry("receive", 5.0).containsEntry("dns", -1L).containsEntry("ssl", -1L);
        assertThat(entry).containsEntry("serverIPAddress", "93.184.216.34").containsEntry("connection", "1");
        Map<String, Object> request = request(entry);
        assertThat(request).containsEntry("method", "GET").containsEntry("httpVersion", "HTTP/1.1")
                .containsEntry("headersSize", -1L).containsEntry("bodySize", 0L).doesNotContainKey("postData");
        assertThat(array(request.get("queryString"))).containsExactly(
                Map.of("name", "q", "value", "café au lait"), Map.of("name", "page", "value", "2"),
                Map.of("name", "flag", "value", ""));
        assertThat(array(request.get("cookies"))).containsExactly(
                Map.of("name", "sid", "value", "abc"), Map.of("name", "theme", "value", "dark"));
        Map<String, Object> response = response(entry);
        assertThat(response).containsEntry("status", 200L).containsEntry("statusText", "OK")
                .containsEntry("redirectURL", "").containsEntry("bodySize", 19L);
        assertThat(array(response.get("cookies"))).containsExactly(Map.of("name", "sid", "value", "xyz",
                "path", "/", "domain", "example.com", "expires", "2026-10-21T07:28:00Z", "httpOnly", true,
                "secure", true));
        assertThat(object(response.get("content"))).containsEntry("size", 19L)
                .containsEntry("mimeType", "text/html; charset=utf-8").containsEntry("text", "<html>héllo</html>")
                .doesNotContainKeys("encoding", "_truncated");
    }

    @Test
    void postWithJsonBody() throws IOException {
        Map<String, Object> entry = onlyEntry(SampleExchanges.postJson());
        Map<String, Object> request = request(entry);
        assertThat(request).containsEntry("httpVersion", "HTTP/2").containsEntry("bodySize", 27L);
        assertThat(object(request.get("postData"))).containsEntry("mimeType", "application/json")
                .containsEntry("text", "{\"name\":\"widget\",\"count\":3}").doesNotContainKey("_encoding");
        assertThat(object(response(entry).get("content"))).containsEntry("text", "{\"id\":7}");
        assertThat(response(entry)).containsEntry("status", 201L).containsEntry("statusText", "");
    }

    @Test
    void binaryRequestBodyIsBase64WithAnEncodingNote() throws IOException {
        Exchange e = new Exchange(9, SampleExchanges.T0, "PUT", "http://h/blob", "HTTP/1.1",
                List.of(new Header("Content-Type", "application/octet-stream")), 4096);
        SampleExchanges.append(e, true, SampleExchanges.PNG);
        e.responseHead(204, "No Content", List.of(), SampleExchanges.T0);
        e.finish(SampleExchanges.T0);
        Map<String, Object> postData = object(request(onlyEntry(e)).get("postData"));
        assertThat(postData).containsEntry("_encoding", "base64");
        assertThat(Base64.getDecoder().decode((String) postData.get("text"))).isEqualTo(SampleExchanges.PNG);
    }

    @Test
    void gzippedBinaryBodyIsDecodedAndBase64() throws IOException {
        Exchange e = SampleExchanges.gzippedPng();
        Map<String, Object> content = object(response(onlyEntry(e)).get("content"));
        assertThat(content).containsEntry("encoding", "base64").containsEntry("mimeType", "image/png")
                .containsEntry("size", (long) SampleExchanges.PNG.length)
                .containsEntry("compression", SampleExchanges.PNG.length - e.responseBody().size());
        assertThat(Base64.getDecoder().decode((String) content.get("text"))).isEqualTo(SampleExchanges.PNG);
        assertThat(response(onlyEntry(e))).containsEntry("bodySize", e.responseBody().size());
    }

    @Test
    void undecodableBodyKeepsTheWireBytesAndSaysWhy() throws IOException {
        Exchange e = new Exchange(9, SampleExchanges.T0, "GET", "http://h/bad", "HTTP/1.1", List.of(), 1024);
        e.responseHead(200, "OK", List.of(new Header("Content-Type", "text/plain"),
                new Header("Content-Encoding", "gzip")), SampleExchanges.T0);
        SampleExchanges.append(e, false, "not gzip at all".getBytes(UTF_8));
        e.finish(SampleExchanges.T0);
        Map<String, Object> content = object(response(onlyEntry(e)).get("content"));
        assertThat(content).containsEntry("size", 15L).containsEntry("encoding", "base64")
                .containsKey("_decodingError").doesNotContainKey("compression");
        assertThat(Base64.getDecoder().decode((String) content.get("text"))).isEqualTo("not gzip at all".getBytes(UTF_8));
    }

    @Test
    void truncatedBodyKeepsThePrefixAndTheTrueSize() throws IOException {
        Map<String, Object> response = response(onlyEntry(SampleExchanges.truncated()));
        assertThat(response).containsEntry("bodySize", 5000L);
        assertThat(object(response.get("content"))).containsEntry("size", 5000L)
                .containsEntry("_truncated", true).containsEntry("_wireSize", 5000L)
                .containsEntry("text", "0123456789".repeat(10));
    }

    @Test
    void failedExchangeHasStatusZeroAndTheError() throws IOException {
        Map<String, Object> entry = onlyEntry(SampleExchanges.failed());
        assertThat(entry).containsEntry("_error", "connection refused").containsEntry("time", 4.0);
        assertThat(response(entry)).containsEntry("status", 0L).containsEntry("statusText", "");
        assertThat(object(response(entry).get("content"))).containsEntry("size", 0L).doesNotContainKey("text");
        assertThat(object(entry.get("timings"))).containsEntry("send", 1.0).containsEntry("wait", 3.0)
                .containsEntry("receive", 0.0);
    }

    @Test
    void redirectChainHasRedirectUrl() throws IOException {
        Path file = dir.resolve("redirect.har");
        HarSink sink = new HarSink(file, "0.1.0", CLOCK);
        for (Exchange e : SampleExchanges.redirectChain()) {
            sink.requestSent(e);
            sink.exchangeFinished(e);
        }
        sink.close();
        List<Object> entries = entries(file);
        assertThat(response(entries.get(0))).containsEntry("status", 301L)
                .containsEntry("redirectURL", "https://new.test/a");
        assertThat(request(entries.get(1))).containsEntry("url", "https://new.test/a");
        assertThat(response(entries.get(1))).containsEntry("status", 200L).containsEntry("redirectURL", "");
    }

    @Test
    void webSocketMessagesAreListed() throws IOException {
        Map<String, Object> entry = onlyEntry(SampleExchanges.webSocket());
        List<Object> messages = array(entry.get("_webSocketMessages"));
        assertThat(messages).hasSize(3);
        double t0 = SampleExchanges.T0.getEpochSecond();
        assertThat(object(messages.get(0))).containsEntry("type", "send").containsEntry("opcode", 1L)
                .containsEntry("data", "hello").containsEntry("time", t0 + 0.005);
        assertThat(object(messages.get(1))).containsEntry("type", "receive").containsEntry("data", "world");
        assertThat(object(messages.get(2))).containsEntry("opcode", 8L).containsEntry("data", "1000 bye");
    }

    @Test
    void closeWritesUnfinishedExchangesAsIncomplete() throws IOException {
        Path file = dir.resolve("interrupted.har");
        HarSink sink = new HarSink(file, "0.1.0", CLOCK);
        Exchange done = SampleExchanges.get();
        Exchange waiting = new Exchange(2, SampleExchanges.T0, "GET", "http://slow.test/", "HTTP/1.1", List.of(), 64);
        Exchange streaming = new Exchange(3, SampleExchanges.T0, "GET", "http://stream.test/", "HTTP/1.1", List.of(), 64);
        streaming.responseHead(200, "OK", List.of(new Header("Content-Type", "text/event-stream")),
                SampleExchanges.T0.plusSeconds(1));
        SampleExchanges.append(streaming, false, "data: 1\n\n".getBytes(UTF_8));
        sink.requestSent(waiting);
        sink.requestSent(done);
        sink.requestSent(streaming);
        sink.exchangeFinished(done);
        assertThat(entries(file)).hasSize(1);
        sink.close();
        sink.close();
        Object har = read(file);
        assertThat(HarStructure.problems(har)).isEmpty();
        List<Object> entries = array(object(object(har).get("log")).get("entries"));
        assertThat(entries).hasSize(3);
        assertThat(object(entries.get(1))).containsEntry("_error", "incomplete: jtap exited")
                .containsEntry("time", 60_000.0);
        assertThat(request(entries.get(1))).containsEntry("url", "http://slow.test/");
        assertThat(response(entries.get(1))).containsEntry("status", 0L);
        assertThat(object(entries.get(2))).containsEntry("_error", "incomplete: jtap exited");
        assertThat(object(response(entries.get(2)).get("content"))).containsEntry("text", "data: 1\n\n");
    }

    @Test
    void eventsAfterCloseAreIgnored() throws IOException {
        Path file = dir.resolve("late.har");
        HarSink sink = new HarSink(file, "0.1.0", CLOCK);
        sink.close();
        Exchange late = SampleExchanges.get();
        sink.requestSent(late);
        sink.exchangeFinished(late);
        assertThat(entries(file)).isEmpty();
    }

    @Test
    void addressesThatAreNotIpLiteralsStayOutOfServerIpAddress() throws IOException {
        Exchange e = SampleExchanges.get();
        e.serverAddress("example.com:443");
        assertThat(onlyEntry(e)).doesNotContainKey("serverIPAddress").containsEntry("_serverAddress", "example.com:443");
        e.serverAddress("2001:db8::1");
        assertThat(onlyEntry(e)).containsEntry("serverIPAddress", "2001:db8:0:0:0:0:0:1");
    }

    @Test
    void concurrentExchangesAllArriveWhole() throws Exception {
        Path file = dir.resolve("concurrent.har");
        HarSink sink = new HarSink(file, "0.1.0");
        int threads = 8;
        int perThread = 50;
        AtOnce.run(threads, perThread, (thread, i) -> {
            Exchange e = SampleExchanges.postJson();
            sink.requestSent(e);
            sink.exchangeFinished(e);
        });
        sink.close();
        Object har = read(file);
        assertThat(HarStructure.problems(har)).isEmpty();
        assertThat(array(object(object(har).get("log")).get("entries"))).hasSize(threads * perThread);
    }

    @Test
    void entryTimestampsCarryTheClocksOffset() throws IOException {
        Path file = dir.resolve("zone.har");
        HarSink sink = new HarSink(file, "0.1.0", Clock.fixed(Instant.EPOCH, ZoneOffset.ofHours(2)));
        Exchange e = SampleExchanges.get();
        sink.exchangeFinished(e);
        assertThat(object(entries(file).getFirst()).get("startedDateTime")).isEqualTo("2025-03-01T14:00:00.000+02:00");
    }

    private Map<String, Object> onlyEntry(Exchange exchange) throws IOException {
        Path file = Files.createTempFile(dir, "one", ".har");
        HarSink sink = new HarSink(file, "test", CLOCK);
        sink.requestSent(exchange);
        sink.exchangeFinished(exchange);
        sink.close();
        Object har = read(file);
        assertThat(HarStructure.problems(har)).isEmpty();
        List<Object> entries = array(object(object(har).get("log")).get("entries"));
        assertThat(entries).hasSize(1);
        return object(entries.getFirst());
    }

    static Object read(Path file) throws IOException {
        return JsonTree.parse(Files.readAllBytes(file));
    }

    private static List<Object> entries(Path file) throws IOException {
        return array(object(object(read(file)).get("log")).get("entries"));
    }

    private static Map<String, Object> request(Object entry) {
        return object(object(entry).get("request"));
    }

    private static Map<String, Object> response(Object entry) {
        return object(object(entry).get("response"));
    }
}
