package dev.jtap.http;

import static dev.jtap.http.H2Script.request;
import static dev.jtap.http.H2Script.response;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.http.ObserverRun.Seen;
import dev.jtap.record.Exchange;
import dev.jtap.record.Header;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Http2ObserverTest {

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    /** Two requests, one with a body, a padded response and a response split into several DATA frames. */
    static Conversation small() {
        return new H2Script("small")
                .clientHeaders(1, request("GET", "/a?x=1", "user-agent", "t", "accept", "*/*"), true)
                .clientHeaders(3, request("POST", "/b", "content-type", "text/plain"), false)
                .serverHeaders(1, response(200, "content-length", "5", "content-type", "text/plain"), false)
                .clientData(3, bytes("hello world"), 0, true)
                .serverData(1, bytes("hello"), 7, true)
                .serverHeaders(3, response(201), false)
                .serverData(3, bytes("sec"), 0, false)
                .serverData(3, bytes("ond"), 3, false)
                .serverData(3, new byte[0], 0, true)
                .closedCleanly();
    }

    static final List<Seen> SMALL_EXPECTED = List.of(
            Seen.ok("GET", "https://h2.test/a?x=1", 200, "hello"),
            Seen.ok("POST", "https://h2.test/b", 201, "second").withRequestBytes(11));

    @Test
    void smallConversationAtEverySplitPoint() {
        Conversation c = small();
        for (int step = 0; step < c.steps().size(); step++) {
            for (int cut = 0; cut <= c.steps().get(step).bytes().length; cut++) {
                H2Run run = new H2Run();
                run.feeder.playSplit(c, step, cut);
                assertThat(run.observer.active()).isTrue();
                run.close(null);
                assertThat(run.seen()).as("step %d cut %d", step, cut).isEqualTo(SMALL_EXPECTED);
            }
        }
    }

    @Test
    void headersKeepOrderWithoutPseudoHeaders() {
        H2Run run = new H2Run();
        run.feeder.playSplit(small(), 0, 0);
        Exchange first = run.sink.sent().getFirst();
        assertThat(first.httpVersion()).isEqualTo("HTTP/2");
        assertThat(first.requestHeaders()).containsExactly(new Header("user-agent", "t"), new Header("accept", "*/*"));
        assertThat(first.responseHeaders()).containsExactly(new Header("content-length", "5"),
                new Header("content-type", "text/plain"));
        assertThat(first.requestSent()).isNotNull();
        assertThat(run.events).containsExactly("started https://h2.test/b");
    }

    @Test
    void fiftyRequestsReuseTheDynamicTables() {
        H2Script script = new H2Script("fifty");
        List<Seen> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int id = 1 + 2 * i;
            script.clientHeaders(id, request("GET", "/item/" + i, "x-session", "s-0123456789abcdef",
                    "x-request", "r" + i), true);
            String body = "body of " + i;
            script.serverHeaders(id, response(200, "server", "test-server/1.0", "x-trace", "t" + (i % 3),
                    "content-length", Integer.toString(body.length())), false);
            script.serverData(id, bytes(body), i % 4, true);
            expected.add(Seen.ok("GET", "https://h2.test/item/" + i, 200, body));
        }
        Conversation c = script.closedCleanly();
        for (int seed = 0; seed < 40; seed++) {
            H2Run run = new H2Run();
            run.feeder.playRandomly(c, new Random(seed), 1 + seed * 5);
            run.close(null);
            assertThat(run.seen()).isEqualTo(expected);
            assertThat(run.sink.sent().get(49).requestHeaders())
                    .containsExactly(new Header("x-session", "s-0123456789abcdef"), new Header("x-request", "r49"));
        }
    }

    @Test
    void largerHeaderTableAnnouncedBySettings() {
        H2Script script = new H2Script("big table");
        script.settings(true, new Http2Settings().headerTableSize(65536));
        H2Script.growTable(script.server, 65536);
        String big = "v".repeat(3000);
        for (int i = 0; i < 10; i++) {
            int id = 1 + 2 * i;
            script.clientHeaders(id, request("GET", "/" + i), true);
            script.serverHeaders(id, response(204, "x-big-a", big, "x-big-b", big + i % 2), true);
        }
        H2Run run = new H2Run();
        run.feeder.playRandomly(script.closedCleanly(), new Random(1), 100);
        run.close(null);
        assertThat(run.seen()).hasSize(10).allSatisfy(s -> assertThat(s.status()).isEqualTo(204));
        assertThat(Header.firstValue(run.sink.sent().get(9).responseHeaders(), "x-big-b")).isEqualTo(big + "1");
    }

    @Test
    void interleavedStreamsFinishInAnyOrder() {
        H2Script script = new H2Script("interleaved");
        for (int id = 1; id <= 9; id += 2) {
            script.clientHeaders(id, request("GET", "/s" + id), true);
        }
        for (int id = 9; id >= 1; id -= 2) {
            script.serverHeaders(id, response(200), false);
        }
        for (int round = 0; round < 3; round++) {
            for (int id = 1; id <= 9; id += 2) {
                script.serverData(id, new byte[id * 10], round, round == 2 && id != 5);
            }
        }
        script.serverData(5, new byte[1], 0, true);
        H2Run run = new H2Run();
        run.feeder.playRandomly(script.closedCleanly(), new Random(7), 13);
        run.close(null);
        for (Seen seen : run.seen()) {
            int id = Integer.parseInt(seen.url().substring(seen.url().lastIndexOf('s') + 1));
            assertThat(seen.responseBytes()).isEqualTo(id * 30L + (id == 5 ? 1 : 0));
            assertThat(seen.error()).isNull();
        }
        assertThat(run.sink.finished().getLast().url()).isEqualTo("https://h2.test/s5");
    }

    @Test
    void trailersAreRecorded() {
        Conversation c = new H2Script("grpc")
                .clientHeaders(1, request("POST", "/pkg.Service/Call", "content-type", "application/grpc"), false)
                .clientData(1, new byte[] {0, 0, 0, 0, 2, 8, 1}, 0, true)
                .serverHeaders(1, response(200, "content-type", "application/grpc"), false)
                .serverData(1, new byte[] {0, 0, 0, 0, 0}, 0, false)
                .serverHeaders(1, H2Script.with(new io.netty.handler.codec.http2.DefaultHttp2Headers(),
                        "grpc-status", "0", "grpc-message", "OK"), true)
                .closedCleanly();
        H2Run run = new H2Run();
        run.feeder.playRandomly(c, new Random(3), 5);
        run.close(null);
        Exchange e = run.sink.finished().getFirst();
        assertThat(e.error()).isNull();
        assertThat(e.requestBody().size()).isEqualTo(7);
        assertThat(e.responseBody().size()).isEqualTo(5);
        assertThat(e.responseTrailers()).containsExactly(new Header("grpc-status", "0"), new Header("grpc-message", "OK"));
    }

    @Test
    void resetStreamFailsOnlyThatStream() {
        Conversation c = new H2Script("reset")
                .clientHeaders(1, request("GET", "/slow"), true)
                .clientHeaders(3, request("GET", "/fast"), true)
                .reset(true, 1, Http2Error.CANCEL)
                .serverHeaders(3, response(200, "content-length", "2"), false)
                .serverData(3, bytes("ok"), 0, true)
                .closedCleanly();
        H2Run run = new H2Run();
        run.feeder.playRandomly(c, new Random(5), 9);
        run.close(null);
        assertThat(run.seen()).containsExactly(
                new Seen("GET", "https://h2.test/slow", 0, 0, 0, "", "stream reset: CANCEL"),
                Seen.ok("GET", "https://h2.test/fast", 200, "ok"));
    }

    @Test
    void goAwayFailsStreamsAfterTheLastProcessedOne() {
        Conversation c = new H2Script("goaway")
                .clientHeaders(1, request("GET", "/one"), true)
                .clientHeaders(3, request("GET", "/two"), true)
                .clientHeaders(5, request("GET", "/three"), true)
                .serverGoAway(3, Http2Error.NO_ERROR)
                .serverHeaders(1, response(200, "content-length", "1"), false)
                .serverHeaders(3, response(404), true)
                .serverData(1, bytes("1"), 0, true)
                .closedCleanly();
        H2Run run = new H2Run();
        run.feeder.playRandomly(c, new Random(11), 6);
        run.close(null);
        assertThat(run.seen()).containsExactly(
                Seen.ok("GET", "https://h2.test/one", 200, "1"),
                Seen.ok("GET", "https://h2.test/two", 404, ""),
                new Seen("GET", "https://h2.test/three", 0, 0, 0, "", "GOAWAY: NO_ERROR"));
    }

    @Test
    void headZeroLengthAndInterimResponses() {
        Conversation c = new H2Script("head, empty, 100")
                .clientHeaders(1, request("HEAD", "/h"), true)
                .serverHeaders(1, response(200, "content-length", "100"), true)
                .clientHeaders(3, request("GET", "/empty"), true)
                .serverHeaders(3, response(200, "content-length", "0"), false)
                .serverData(3, new byte[0], 0, true)
                .clientHeaders(5, request("PUT", "/up", "expect", "100-continue"), false)
                .serverHeaders(5, response(100), false)
                .clientData(5, new byte[3], 0, true)
                .serverHeaders(5, response(204), true)
                .closedCleanly();
        H2Run run = new H2Run();
        run.feeder.playRandomly(c, new Random(2), 4);
        run.close(null);
        assertThat(run.seen()).containsExactly(
                Seen.ok("HEAD", "https://h2.test/h", 200, ""),
                Seen.ok("GET", "https://h2.test/empty", 200, ""),
                Seen.ok("PUT", "https://h2.test/up", 204, "").withRequestBytes(3));
        assertThat(run.events).isEmpty();
    }

    @Test
    void closeFailsPendingStreams() {
        Conversation c = new H2Script("close")
                .clientHeaders(1, request("GET", "/pending"), true)
                .clientHeaders(3, request("GET", "/partial"), true)
                .serverHeaders(3, response(200), false)
                .serverData(3, bytes("par"), 0, false)
                .closedCleanly();
        H2Run clean = new H2Run();
        clean.feeder.playRandomly(c, new Random(1), 50);
        clean.close(null);
        assertThat(clean.seen()).extracting(Seen::error)
                .containsExactly("connection closed before response",
                        "connection closed mid-response after 3 body bytes");
        H2Run reset = new H2Run();
        reset.feeder.playRandomly(c, new Random(1), 50);
        reset.close("connection reset");
        assertThat(reset.seen()).extracting(Seen::error)
                .containsExactly("connection reset", "connection reset mid-response after 3 body bytes");
        assertThat(reset.observer.active()).isFalse();
        assertThat(reset.observer.stopReason()).isEqualTo("connection reset");
    }

    @Test
    void serverSentEventsAreReportedAsTheyArrive() {
        Conversation c = new H2Script("sse")
                .clientHeaders(1, request("GET", "/events"), true)
                .serverHeaders(1, response(200, "content-type", "text/event-stream"), false)
                .serverData(1, bytes("event: tick\ndata: 1\n\ndata: 2\r\n"), 0, false)
                .serverData(1, bytes("\r\n: comment\n\n"), 0, true)
                .closedCleanly();
        H2Run run = new H2Run();
        run.feeder.playRandomly(c, new Random(4), 3);
        run.close(null);
        assertThat(run.events).containsExactly("started https://h2.test/events", "event event: tick\ndata: 1",
                "event data: 2", "event : comment");
    }

    @Test
    void extendedConnectCarriesWebSocketFrames() {
        byte[] clientFrame = WebSocketFrames.frame(true, 0, 1, bytes("hi"), new byte[] {1, 2, 3, 4});
        byte[] serverFrame = WebSocketFrames.frame(true, 0, 1, bytes("hello back"), null);
        Conversation c = new H2Script("ws over h2")
                .clientHeaders(1, H2Script.with(request("CONNECT", "/chat"), ":protocol", "websocket",
                        "sec-websocket-version", "13"), false)
                .serverHeaders(1, response(200), false)
                .clientData(1, clientFrame, 0, false)
                .serverData(1, serverFrame, 2, false)
                .clientData(1, WebSocketFrames.close(1000, "bye", new byte[] {9, 9, 9, 9}), 0, true)
                .serverData(1, WebSocketFrames.close(1000, "bye", null), 0, true)
                .closedCleanly();
        H2Run run = new H2Run();
        run.feeder.playRandomly(c, new Random(8), 3);
        run.close(null);
        assertThat(run.seen()).containsExactly(Seen.ok("CONNECT", "https://h2.test/chat", 200, ""));
        assertThat(run.webSocketMessages).extracting(m -> m.fromClient() + " " + m.opcode() + " " + m.data())
                .containsExactly("true 1 hi", "false 1 hello back", "true 8 1000 bye", "false 8 1000 bye");
        assertThat(run.sink.sent().getFirst().webSocketMessages()).hasSize(4);
    }

    @Test
    void trackedStreamsAreBounded() {
        H2Script script = new H2Script("many");
        int count = Http2Observer.MAX_TRACKED_STREAMS + 5;
        for (int i = 0; i < count; i++) {
            script.clientHeaders(1 + 2 * i, request("GET", "/" + i), true);
        }
        H2Run run = new H2Run();
        run.feeder.playRandomly(script.closedCleanly(), new Random(1), 1000);
        assertThat(run.sink.finished()).hasSize(5).allSatisfy(e ->
                assertThat(e.error()).isEqualTo("not observed: too many concurrent streams"));
        run.close(null);
    }

    @Test
    void missingPrefaceStopsObserving() {
        H2Run run = new H2Run();
        run.feeder.feed(true, bytes("GET / HTTP/1.1\r\n\r\n"), 0, 18);
        assertThat(run.observer.active()).isFalse();
        assertThat(run.observer.stopReason()).contains("preface");
        run.close(null);
    }
}
