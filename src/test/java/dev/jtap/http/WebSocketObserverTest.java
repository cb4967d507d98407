package dev.jtap.http;

import static dev.jtap.http.WebSocketFrames.close;
import static dev.jtap.http.WebSocketFrames.concat;
import static dev.jtap.http.WebSocketFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.Exchange;
import dev.jtap.record.ExchangeSink;
import dev.jtap.record.Recorder;
import dev.jtap.record.WebSocketMessage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class WebSocketObserverTest {

    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    /** Messages as "direction opcode length data". */
    static final class Run {
        final Exchange handshake = new Exchange(1, Instant.now(), "GET", "http://ws.test/chat", "HTTP/1.1", List.of(), 0);
        final List<String> reported = new CopyOnWriteArrayList<>();
        final WebSocketObserver observer;
        final SplitFeeder feeder;

        Run(boolean deflate) {
            Recorder recorder = new Recorder(List.of(new ExchangeSink() {
                @Override
                public void requestSent(Exchange exchange) {
                }

                @Override
                public void exchangeFinished(Exchange exchange) {
                }

                @Override
                public void webSocketMessage(Exchange exchange, WebSocketMessage m) {
                    reported.add(describe(m));
                }
            }), new PrintStream(OutputStream.nullOutputStream()));
            observer = new WebSocketObserver(handshake, recorder, deflate);
            feeder = new SplitFeeder((fromClient, buf) -> {
                if (fromClient) {
                    observer.clientBytes(buf);
                } else {
                    observer.serverBytes(buf);
                }
            });
        }

        List<String> messages() {
            assertThat(handshake.webSocketMessages()).extracting(Run::describe).isEqualTo(reported);
            return reported;
        }

        static String describe(WebSocketMessage m) {
            return (m.fromClient() ? "c " : "s ") + m.opcode() + " " + m.length() + " " + m.data();
        }
    }

    static final byte[] CLIENT = concat(
            frame(true, 0, 1, "hello".getBytes(UTF_8), MASK),
            frame(true, 0, 10, "pong".getBytes(UTF_8), MASK),
            frame(true, 0, 2, new byte[300], MASK),
            close(1000, "bye", MASK));
    static final byte[] SERVER = concat(
            frame(false, 0, 1, "Hel".getBytes(UTF_8), null),
            frame(true, 0, 9, "ping".getBytes(UTF_8), null),
            frame(false, 0, 0, "lo wör".getBytes(UTF_8), null),
            frame(true, 0, 0, "ld".getBytes(UTF_8), null),
            frame(true, 0, 2, new byte[] {1, 2, 3}, null),
            close(1001, "", null));

    @Test
    void framesAtEverySplitPoint() {
        for (int cut = 0; cut <= Math.max(CLIENT.length, SERVER.length); cut++) {
            Run run = new Run(false);
            int clientCut = Math.min(cut, CLIENT.length);
            int serverCut = Math.min(cut, SERVER.length);
            run.feeder.feed(true, CLIENT, 0, clientCut);
            run.feeder.feed(false, SERVER, 0, serverCut);
            run.feeder.feed(true, CLIENT, clientCut, CLIENT.length);
            run.feeder.feed(false, SERVER, serverCut, SERVER.length);
            assertThat(run.observer.active()).isTrue();
            assertThat(run.messages()).as("cut %d", cut).containsExactlyInAnyOrder(
                    "c 1 5 hello", "c 10 4 pong", "c 2 300 " + Base64.getEncoder().encodeToString(new byte[300]),
                    "c 8 5 1000 bye",
                    "s 9 4 ping", "s 1 12 Hello wörld", "s 2 3 AQID", "s 8 2 1001");
            run.observer.closed(null);
            run.feeder.assertNothingRetained();
            assertThat(run.observer.active()).isFalse();
        }
    }

    @Test
    void permessageDeflateWithContextTakeoverAtEverySplitPoint() {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] first = WebSocketFrames.deflate(deflater, "compressed hello, compressed hello".getBytes(UTF_8));
        byte[] second = WebSocketFrames.deflate(deflater, "compressed hello again".getBytes(UTF_8));
        byte[] third = WebSocketFrames.deflate(deflater, new byte[] {5, 5, 5, 5, 5, 5, 5, 5});
        deflater.end();
        byte[] server = concat(
                frame(true, 4, 1, first, null),
                frame(false, 4, 1, java.util.Arrays.copyOf(second, 3), null),
                frame(true, 0, 0, java.util.Arrays.copyOfRange(second, 3, second.length), null),
                frame(true, 0, 1, "plain".getBytes(UTF_8), null),
                frame(true, 4, 2, third, null));
        for (int cut = 0; cut <= server.length; cut++) {
            Run run = new Run(true);
            run.feeder.feed(false, server, 0, cut);
            run.feeder.feed(false, server, cut, server.length);
            assertThat(run.messages()).as("cut %d", cut).containsExactly(
                    "s 1 34 compressed hello, compressed hello",
                    "s 1 22 compressed hello again",
                    "s 1 5 plain",
                    "s 2 8 BQUFBQUFBQU=");
            run.observer.closed(null);
        }
    }

    /** Regression: the length of a compressed message was its deflated size ("12 bytes" for 10 characters). */
    @Test
    void compressedMessagesReportTheirInflatedLengthEvenBeyondTheKeptPrefix() {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] big = WebSocketFrames.deflate(deflater, "y".repeat(200_000).getBytes(UTF_8));
        byte[] small = WebSocketFrames.deflate(deflater, "hello jtap".getBytes(UTF_8));
        deflater.end();
        Run run = new Run(true);
        byte[] frames = concat(frame(true, 4, 1, big, MASK), frame(true, 4, 2, small, MASK));
        run.feeder.feed(true, frames, 0, frames.length);
        List<WebSocketMessage> messages = run.handshake.webSocketMessages();
        assertThat(messages).extracting(WebSocketMessage::length).containsExactly(200_000L, 10L);
        assertThat(messages.getFirst().data()).hasSize(WebSocketMessageAssembly.MAX_KEPT);
        assertThat(big.length).isLessThan(10_000);
    }

    @Test
    void longMessagesKeepABoundedPrefix() {
        byte[] text = "x".repeat(100_000).getBytes(UTF_8);
        Run run = new Run(false);
        byte[] frames = concat(frame(false, 0, 1, java.util.Arrays.copyOf(text, 70_000), MASK),
                frame(true, 0, 0, java.util.Arrays.copyOfRange(text, 70_000, text.length), MASK));
        run.feeder.feedRandomly(true, frames, new java.util.Random(1), 5000);
        WebSocketMessage m = run.handshake.webSocketMessages().getFirst();
        assertThat(m.length()).isEqualTo(100_000);
        assertThat(m.data()).hasSize(WebSocketMessageAssembly.MAX_KEPT);
    }

    @Test
    void malformedFramesStopObserving() {
        List<byte[]> malformed = List.of(
                frame(true, 2, 1, new byte[1], null),                 // RSV2
                frame(true, 4, 1, new byte[1], null),                 // RSV1 without permessage-deflate
                frame(true, 0, 3, new byte[1], null),                 // reserved opcode
                frame(false, 0, 9, new byte[1], null),                // fragmented control frame
                frame(true, 0, 0, new byte[1], null),                 // continuation without a message
                frame(true, 0, 8, new byte[126], null),               // control frame too long
                concat(frame(false, 0, 1, new byte[1], null), frame(true, 0, 2, new byte[1], null)),
                new byte[] {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0});
        for (byte[] bytes : malformed) {
            Run run = new Run(false);
            run.feeder.feed(false, bytes, 0, bytes.length);
            assertThat(run.observer.active()).isFalse();
            assertThat(run.observer.stopReason()).startsWith("cannot follow WebSocket server frames");
        }
        Run corrupt = new Run(true);
        byte[] bad = frame(true, 4, 1, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2}, null);
        corrupt.feeder.feed(false, bad, 0, bad.length);
        assertThat(corrupt.observer.active()).isFalse();
    }
}
