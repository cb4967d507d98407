package dev.jtap.http;

import static dev.jtap.http.WebSocketFrames.concat;
import static dev.jtap.http.WebSocketFrames.frame;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.http.ObserverRun.Seen;
import dev.jtap.record.Exchange;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class Http1WebSocketUpgradeTest {

    private static final byte[] MASK = {1, 2, 3, 4};
    private static final String REQUEST = "GET /chat HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";

    static Conversation upgrade() {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] compressed = WebSocketFrames.deflate(deflater, "inflated hello".getBytes(UTF_8));
        deflater.end();
        return Conversation.named("ws upgrade")
                // the client sends its first frame before the 101 arrives: it must be held, not parsed as HTTP
                .client(concat(REQUEST.getBytes(ISO_8859_1), frame(true, 0, 1, "early".getBytes(UTF_8), MASK)))
                .server(concat((SWITCHING + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n").getBytes(ISO_8859_1),
                        frame(true, 4, 1, compressed, null)))
                .client(frame(true, 0, 1, "later".getBytes(UTF_8), MASK))
                .server(WebSocketFrames.close(1000, "bye", null))
                .closedCleanly();
    }

    @Test
    void upgradeAtEverySplitPoint() {
        Conversation c = upgrade();
        for (int step = 0; step < c.steps().size(); step++) {
            for (int cut = 0; cut <= c.steps().get(step).bytes().length; cut++) {
                int splitStep = step;
                int at = cut;
                ObserverRun run = new ObserverRun("http", 1 << 20);
                for (int i = 0; i < c.steps().size(); i++) {
                    Conversation.Step s = c.steps().get(i);
                    int mid = i == splitStep ? at : s.bytes().length;
                    run.feed(s.fromClient(), s.bytes(), 0, mid);
                    run.feed(s.fromClient(), s.bytes(), mid, s.bytes().length);
                }
                assertThat(run.observer.active()).isTrue();
                assertThat(run.observer.upgraded()).isTrue();
                run.close(null);
                assertThat(run.seen()).containsExactly(Seen.ok("GET", "http://ws.test/chat", 101, ""));
                Exchange e = run.sink.sent().getFirst();
                assertThat(e.webSocketMessages()).as("step %d cut %d", splitStep, at)
                        .extracting(m -> (m.fromClient() ? "c " : "s ") + m.data())
                        .containsExactly("c early", "s inflated hello", "c later", "s 1000 bye");
            }
        }
    }

    @Test
    void refusedUpgradeKeepsReadingHttp() {
        Conversation c = Conversation.named("refused")
                .client(REQUEST + "GET /next HTTP/1.1\r\nHost: ws.test\r\n\r\n")
                .server("HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\nno"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes")
                .closedCleanly();
        ObserverRun run = ObserverRun.play(c, (step, length) -> new int[0]);
        assertThat(run.seen()).containsExactly(Seen.ok("GET", "http://ws.test/chat", 400, "no"),
                Seen.ok("GET", "http://ws.test/next", 200, "yes"));
    }

    @Test
    void otherUpgradesStillStop() {
        Conversation c = Conversation.named("h2c")
                .client("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n")
                .server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")
                .closedCleanly();
        ObserverRun run = new ObserverRun("http", 1024);
        for (Conversation.Step s : c.steps()) {
            run.feed(s.fromClient(), s.bytes(), 0, s.bytes().length);
        }
        assertThat(run.observer.active()).isFalse();
        assertThat(run.observer.stopReason()).isEqualTo("switched protocols (101)");
        run.close(null);
    }
}
