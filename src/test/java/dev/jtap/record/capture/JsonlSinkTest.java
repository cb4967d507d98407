package dev.jtap.record.capture;

import static dev.jtap.record.capture.JsonTree.array;
import static dev.jtap.record.capture.JsonTree.object;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.Exchange;
import dev.jtap.testing.AtOnce;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonlSinkTest {

    private static final Clock CLOCK = Clock.fixed(SampleExchanges.T0.plusSeconds(1), ZoneOffset.UTC);

    /** Records what was written and how many bytes had been written at each flush. */
    private static final class FlushRecordingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> flushedAt = new ArrayList<>();
        boolean closed;

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            flushedAt.add(bytes.size());
        }

        @Override
        public void close() {
            closed = true;
        }

        synchronized List<String> lines() {
            String text = bytes.toString(UTF_8);
            assertThat(text).endsWith("\n");
            return List.of(text.split("\n"));
        }
    }

    @Test
    void everyExchangeIsOneLineWithTypeFirst() {
        FlushRecordingStream out = new FlushRecordingStream();
        JsonlSink sink = new JsonlSink(out, true, CLOCK);
        for (Exchange e : SampleExchanges.all()) {
            sink.requestSent(e);
            sink.exchangeFinished(e);
        }
        sink.close();
        List<String> lines = out.lines();
        assertThat(lines).hasSize(SampleExchanges.all().size());
        for (String line : lines) {
            assertThat(line).startsWith("{\"type\":\"exchange\",");
            JsonTree.parse(line.getBytes(UTF_8));
        }
        assertThat(out.closed).isTrue();
    }

    @Test
    void exchangeFields() {
        FlushRecordingStream out = new FlushRecordingStream();
        JsonlSink sink = new JsonlSink(out, true, CLOCK);
        Exchange get = SampleExchanges.get();
        sink.exchangeFinished(get);
        sink.exchangeFinished(SampleExchanges.failed());
        sink.exchangeFinished(SampleExchanges.webSocket());
        List<String> lines = out.lines();

        Map<String, Object> first = object(JsonTree.parse(lines.get(0).getBytes(UTF_8)));
        assertThat(first).containsEntry("id", get.id()).containsEntry("connection", 1L)
                .containsEntry("started", "2025-03-01T12:00:00.000Z").containsEntry("method", "GET")
                .containsEntry("url", get.url()).containsEntry("httpVersion", "HTTP/1.1")
                .containsEntry("status", 200L).containsEntry("reason", "OK")
                .containsEntry("requestBodySize", 0L).containsEntry("responseBodySize", 19L)
                .containsEntry("durationMs", 35.0).containsEntry("serverAddress", "93.184.216.34")
                .doesNotContainKeys("error", "webSocketMessages");
        assertThat(array(first.get("requestHeaders"))).first().isEqualTo(Map.of("name", "Host", "value", "example.com"));
        assertThat(array(first.get("responseHeaders"))).hasSize(2);

        Map<String, Object> failed = object(JsonTree.parse(lines.get(1).getBytes(UTF_8)));
        assertThat(failed).containsEntry("error", "connection refused").containsEntry("status", 0L)
                .doesNotContainKey("serverAddress");

        Map<String, Object> webSocket = object(JsonTree.parse(lines.get(2).getBytes(UTF_8)));
        assertThat(array(webSocket.get("webSocketMessages"))).hasSize(3).first()
                .satisfies(m -> assertThat(object(m)).containsEntry("type", "send").containsEntry("data", "hello"));
    }

    @Test
    void dnsAndFlowLines() {
        FlushRecordingStream out = new FlushRecordingStream();
        JsonlSink sink = new JsonlSink(out, true, CLOCK);
        sink.dnsQuery("example.com.", "A", "NOERROR", List.of("93.184.216.34"), 1234);
        sink.flow("tcp", "10.0.0.2:40000", "93.184.216.34:443", 512, 4096, "closed");
        List<String> lines = out.lines();
        assertThat(lines.get(0)).startsWith("{\"type\":\"dns\",");
        assertThat(object(JsonTree.parse(lines.get(0).getBytes(UTF_8)))).containsEntry("name", "example.com.")
                .containsEntry("queryType", "A").containsEntry("rcode", "NOERROR")
                .containsEntry("answers", List.of("93.184.216.34")).containsEntry("elapsedMicros", 1234L)
                .containsEntry("time", "2025-03-01T12:00:01.000Z");
        assertThat(lines.get(1)).startsWith("{\"type\":\"flow\",");
        assertThat(object(JsonTree.parse(lines.get(1).getBytes(UTF_8)))).containsEntry("protocol", "tcp")
                .containsEntry("src", "10.0.0.2:40000").containsEntry("dst", "93.184.216.34:443")
                .containsEntry("bytesUp", 512L).containsEntry("bytesDown", 4096L).containsEntry("outcome", "closed");
    }

    @Test
    void eachLineIsFlushedAsSoonAsItIsWritten() {
        FlushRecordingStream out = new FlushRecordingStream();
        JsonlSink sink = new JsonlSink(out, true, CLOCK);
        List<Integer> lineEnds = new ArrayList<>();
        sink.exchangeFinished(SampleExchanges.get());
        lineEnds.add(out.bytes.size());
        sink.dnsQuery("a.test.", "AAAA", "NXDOMAIN", List.of(), 10);
        lineEnds.add(out.bytes.size());
        sink.flow("udp", "10.0.0.2:5353", "1.1.1.1:53", 40, 0, "timeout");
        lineEnds.add(out.bytes.size());
        assertThat(out.flushedAt).containsExactlyElementsOf(lineEnds);
    }

    @Test
    void closeWritesUnfinishedExchangesAsIncomplete() {
        FlushRecordingStream out = new FlushRecordingStream();
        JsonlSink sink = new JsonlSink(out, false, CLOCK);
        Exchange pending = SampleExchanges.postJson();
        sink.requestSent(pending);
        sink.close();
        sink.flow("tcp", "a", "b", 0, 0, "late");
        assertThat(out.lines()).singleElement().satisfies(line -> assertThat(object(JsonTree.parse(line.getBytes(UTF_8))))
                .containsEntry("error", "incomplete: jtap exited").containsEntry("id", pending.id()));
        assertThat(out.closed).isFalse();
    }

    @Test
    void concurrentWritersNeverInterleave() throws Exception {
        FlushRecordingStream out = new FlushRecordingStream();
        JsonlSink sink = new JsonlSink(out, true, CLOCK);
        int threads = 8;
        int perThread = 300;
        AtOnce.run(threads, perThread, (thread, i) -> {
            switch (i % 3) {
                case 0 -> sink.exchangeFinished(SampleExchanges.gzippedPng());
                case 1 -> sink.dnsQuery("t" + thread + "-" + i + ".test.", "A", "NOERROR",
                        List.of("10.0.0." + thread), i);
                default -> sink.flow("tcp", "t" + thread, "n" + i, i, i, "x".repeat(500));
            }
        });
        List<String> lines = out.lines();
        assertThat(lines).hasSize(threads * perThread);
        Set<String> dnsNames = new HashSet<>();
        for (String line : lines) {
            Map<String, Object> object = object(JsonTree.parse(line.getBytes(UTF_8)));
            assertThat(line).startsWith("{\"type\":\"");
            if (object.get("type").equals("dns")) {
                dnsNames.add((String) object.get("name"));
            }
        }
        assertThat(dnsNames).hasSize(threads * perThread / 3);
    }
}
