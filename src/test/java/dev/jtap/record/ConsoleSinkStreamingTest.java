package dev.jtap.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSinkStreamingTest {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(captured, true, UTF_8);

    private List<String> lines() {
        return captured.toString(UTF_8).lines().toList();
    }

    private static Exchange exchange(String url) {
        return new Exchange(1, Instant.now(), "GET", url, "HTTP/2", List.of(), 1024);
    }

    @Test
    void webSocketMessages() {
        ConsoleSink sink = new ConsoleSink(out, false, false, false);
        Exchange e = exchange("http://h/ws");
        Instant now = Instant.now();
        sink.webSocketMessage(e, new WebSocketMessage(true, now, 1, "x".repeat(42), 42));
        sink.webSocketMessage(e, new WebSocketMessage(false, now, 2, "AAAA", 1229));
        sink.webSocketMessage(e, new WebSocketMessage(true, now, 8, "1000 bye", 5));
        sink.webSocketMessage(e, new WebSocketMessage(false, now, 9, "ping", 4));
        sink.webSocketMessage(e, new WebSocketMessage(true, now, 10, "ping", 4));
        assertThat(lines()).containsExactly("-->> ws text 42 bytes", "<<-- ws binary 1.2 KB", "-->> ws close 1000 bye",
                "<<-- ws ping 4 bytes", "-->> ws pong 4 bytes");
    }

    @Test
    void textMessagesWithBodies() {
        ConsoleSink sink = new ConsoleSink(out, false, false, true);
        sink.webSocketMessage(exchange("http://h/ws"), new WebSocketMessage(false, Instant.now(), 1, "hi there", 8));
        assertThat(lines()).containsExactly("<<-- ws text 8 bytes: hi there");
    }

    @Test
    void streamedResponseShowsHeadThenSize() {
        ConsoleSink sink = new ConsoleSink(out, false, false, false);
        Exchange e = exchange("https://h/stream");
        sink.requestSent(e);
        e.responseHead(200, "", List.of(), Instant.now());
        sink.responseStarted(e);
        e.responseBody().append(new byte[10], 0, 10);
        e.finish(Instant.now());
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("---> GET https://h/stream", "<--- 200 https://h/stream (streaming)",
                "<--- 200 https://h/stream (10 bytes)");
    }

    @Test
    void serverSentEventsPrintedAsTheyArrive() {
        ConsoleSink sink = new ConsoleSink(out, false, true, true);
        Exchange e = exchange("https://h/events");
        List<Header> headers = List.of(new Header("content-type", "text/event-stream"));
        e.responseHead(200, "", headers, Instant.now());
        sink.responseStarted(e);
        sink.serverSentEvent(e, "data: 1");
        sink.serverSentEvent(e, "event: tick\ndata: 2");
        byte[] body = "data: 1\n\nevent: tick\ndata: 2\n\n".getBytes(UTF_8);
        e.responseBody().append(body, 0, body.length);
        e.finish(Instant.now());
        sink.exchangeFinished(e);
        assertThat(lines()).containsExactly("<--- 200 https://h/events (streaming)", "< content-type: text/event-stream",
                "<-- event: data: 1", "<-- event: event: tick", "           data: 2",
                "<--- 200 https://h/events (" + body.length + " bytes)");
    }
}
