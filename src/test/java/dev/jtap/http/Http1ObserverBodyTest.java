package dev.jtap.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.CollectingSink;
import dev.jtap.record.Exchange;
import dev.jtap.record.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Large bodies are counted in full, kept only up to maxBody, and stream through quickly. */
class Http1ObserverBodyTest {

    @Test
    void bodyLargerThanMaxBodyIsCountedAndTruncated() {
        ObserverRun run = new ObserverRun("https", 10);
        byte[] request = "GET /big HTTP/1.1\r\nHost: example.com:443\r\n\r\n".getBytes(ISO_8859_1);
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(ISO_8859_1);
        byte[] body = new byte[100_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        run.feed(true, request, 0, request.length);
        run.feed(false, head, 0, head.length);
        for (int at = 0; at < body.length; at += 4096) {
            run.feed(false, body, at, Math.min(body.length, at + 4096));
        }
        assertThat(run.sink.finished()).singleElement().satisfies(e -> {
            assertThat(e.url()).isEqualTo("https://example.com/big");
            assertThat(e.responseBody().size()).isEqualTo(100_000);
            assertThat(e.responseBody().prefix()).isEqualTo("abcdefghij".getBytes(ISO_8859_1));
            assertThat(e.responseBody().truncated()).isTrue();
        });
        assertThat(run.observer.active()).isTrue();
        run.close(null);
    }

    @Test
    void countedBodyEndsExactlyWhereTheNextResponseStarts() {
        byte[] requests = ("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(ISO_8859_1);
        StringBuilder first = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n");
        for (int i = 0; i < 300; i++) {
            first.append((char) ('a' + i % 26));
        }
        byte[] responses = (first + "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!").getBytes(ISO_8859_1);
        // Past the 10 kept bytes the first body is only counted; wherever the reads split, the second
        // response must still be read as a response.
        for (int split = 1; split < responses.length; split++) {
            ObserverRun run = new ObserverRun("http", 10);
            run.feed(true, requests, 0, requests.length);
            run.feed(false, responses, 0, split);
            run.feed(false, responses, split, responses.length);
            int at = split;
            assertThat(run.sink.finished()).as("split at %d", at).hasSize(2);
            Exchange a = run.sink.finished().get(0);
            Exchange b = run.sink.finished().get(1);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.responseBody().size()).isEqualTo(300);
            assertThat(a.responseBody().prefix()).isEqualTo("abcdefghij".getBytes(ISO_8859_1));
            assertThat(b.status()).as("split at %d", at).isEqualTo(404);
            assertThat(b.responseBody().prefix()).isEqualTo("nope!".getBytes(ISO_8859_1));
            assertThat(run.observer.active()).isTrue();
            run.close(null);
        }
    }

    @Test
    void oneGibibyteDownloadStreamsThrough() {
        CollectingSink sink = new CollectingSink();
        Http1Observer observer = new Http1Observer(1, "http", "h",
                new Recorder(List.of(sink), new PrintStream(OutputStream.nullOutputStream())), 1 << 20);
        long total = 1L << 30;
        observer.clientBytes(Unpooled.wrappedBuffer("GET /1g HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(ISO_8859_1)));
        observer.serverBytes(Unpooled.wrappedBuffer(
                ("HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n").getBytes(ISO_8859_1)));
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
        chunk.writeZero(64 * 1024);
        long started = System.nanoTime();
        for (long sent = 0; sent < total; sent += chunk.readableBytes()) {
            observer.serverBytes(chunk);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        chunk.release();
        System.out.printf("1 GiB through the observer in %d ms%n", millis);
        Exchange e = sink.finished().getFirst();
        assertThat(e.responseBody().size()).isEqualTo(total);
        assertThat(e.error()).isNull();
        assertThat(millis).as("throughput far above any network").isLessThan(20_000);
    }
}
