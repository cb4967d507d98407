package dev.jtap.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.CollectingSink;
import dev.jtap.record.Exchange;
import dev.jtap.record.ExchangeSink;
import dev.jtap.record.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input the observer cannot follow makes it stop quietly; it never throws and never hangs on to exchanges. */
class Http1ObserverMalformedTest {

    @Test
    void garbageRequestStopsObserving() {
        ObserverRun run = new ObserverRun("http", 1024);
        run.feed(true, bytes("this is not http at all\r\n\r\n"), 0, 27);
        assertStopped(run);
    }

    @Test
    void nulBytesInRequestLineStopObserving() {
        byte[] request = bytes("GET /\0\0\0 HTTP/1.1\r\nHost: h\r\n\r\n");
        ObserverRun run = new ObserverRun("http", 1024);
        run.feed(true, request, 0, request.length);
        assertStopped(run);
    }

    @Test
    void nulBytesInHeaderStopObserving() {
        byte[] request = bytes("GET / HTTP/1.1\r\nHo\0st: h\r\n\r\n");
        ObserverRun run = new ObserverRun("http", 1024);
        run.feed(true, request, 0, request.length);
        assertStopped(run);
    }

    @Test
    void oneMegabyteHeaderStopsObservingAndFailsPendingExchange() {
        ObserverRun run = new ObserverRun("http", 1024);
        byte[] first = bytes("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n");
        run.feed(true, first, 0, first.length);
        byte[] huge = bytes("GET /huge HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n");
        for (int at = 0; at < huge.length; at += 16 * 1024) {
            run.feed(true, huge, at, Math.min(huge.length, at + 16 * 1024));
        }
        assertStopped(run);
        assertThat(run.sink.finished()).singleElement()
                .satisfies(e -> assertThat(e.error()).startsWith("not observed"));
    }

    @Test
    void badChunkSizeStopsObserving() {
        ObserverRun run = new ObserverRun("http", 1024);
        byte[] request = bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        byte[] response = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        run.feed(true, request, 0, request.length);
        run.feed(false, response, 0, response.length);
        assertStopped(run);
        List<Exchange> finished = run.sink.finished();
        assertThat(finished).singleElement().satisfies(e -> assertThat(e.error()).isNotNull());
    }

    @Test
    void responseWithoutRequestStopsObserving() {
        ObserverRun run = new ObserverRun("http", 1024);
        byte[] response = bytes("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n");
        run.feed(false, response, 0, response.length);
        assertStopped(run);
    }

    @Test
    void bytesAfterStoppingAreIgnored() {
        ObserverRun run = new ObserverRun("http", 1024);
        byte[] garbage = bytes("\u0001\u0002 nonsense\r\n\r\n");
        run.feed(true, garbage, 0, garbage.length);
        byte[] request = bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        run.feed(true, request, 0, request.length);
        run.feed(false, garbage, 0, garbage.length);
        assertStopped(run);
        assertThat(run.sink.sent()).isEmpty();
    }

    @Test
    void sinkThatThrowsDoesNotDisturbObservation() {
        CollectingSink collected = new CollectingSink();
        ExchangeSink broken = new ExchangeSink() {
            @Override
            public void requestSent(Exchange exchange) {
                throw new IllegalStateException("broken sink");
            }

            @Override
            public void exchangeFinished(Exchange exchange) {
                throw new IllegalStateException("broken sink");
            }
        };
        Recorder recorder = new Recorder(List.of(broken, collected), new PrintStream(OutputStream.nullOutputStream()));
        Http1Observer observer = new Http1Observer(1, "http", "h", recorder, 1024);
        for (Conversation.Step step : Conversations.keepAlive().conversation().steps()) {
            ByteBuf buf = Unpooled.wrappedBuffer(step.bytes());
            if (step.fromClient()) {
                observer.clientBytes(buf);
            } else {
                observer.serverBytes(buf);
            }
            buf.release();
        }
        observer.closed(null);
        assertThat(collected.finished()).hasSize(3).allSatisfy(e -> assertThat(e.error()).isNull());
    }

    private static void assertStopped(ObserverRun run) {
        assertThat(run.observer.active()).isFalse();
        assertThat(run.observer.stopReason()).isNotBlank();
        assertThat(run.observer.upgraded()).isFalse();
        run.close("connection reset");
        assertThat(run.sink.finished()).hasSameSizeAs(run.sink.sent());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }
}
