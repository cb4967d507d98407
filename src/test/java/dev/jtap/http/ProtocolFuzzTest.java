package dev.jtap.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.CollectingSink;
import dev.jtap.record.Exchange;
import dev.jtap.record.Recorder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded mutations of valid HTTP/2 and WebSocket streams: nothing may escape the observers. */
class ProtocolFuzzTest {

    private static final int MUTATIONS = dev.jtap.Fuzz.iterations(10_000);

    @Test
    void http2Mutations() {
        Conversation c = Http2ObserverTest.small();
        Random random = new Random(20240601);
        for (int i = 0; i < MUTATIONS; i++) {
            H2Run run = new H2Run();
            Conversation mutated = c.withSteps(c.steps().stream()
                    .map(s -> new Conversation.Step(s.fromClient(), mutate(s.bytes(), random))).toList());
            run.feeder.playRandomly(mutated, random, 1 + random.nextInt(40));
            run.close(random.nextBoolean() ? null : "reset");
            assertThat(run.observer.active()).isFalse();
        }
    }

    @Test
    void webSocketMutations() {
        Random random = new Random(77);
        for (int i = 0; i < MUTATIONS; i++) {
            Exchange handshake = new Exchange(1, Instant.now(), "GET", "http://x/", "HTTP/1.1", List.of(), 0);
            WebSocketObserver observer = new WebSocketObserver(handshake,
                    new Recorder(List.of(new CollectingSink()), new PrintStream(OutputStream.nullOutputStream())),
                    random.nextBoolean());
            SplitFeeder feeder = new SplitFeeder((fromClient, buf) -> {
                if (fromClient) {
                    observer.clientBytes(buf);
                } else {
                    observer.serverBytes(buf);
                }
            });
            feeder.feedRandomly(true, mutate(WebSocketObserverTest.CLIENT, random), random, 1 + random.nextInt(30));
            feeder.feedRandomly(false, mutate(WebSocketObserverTest.SERVER, random), random, 1 + random.nextInt(30));
            observer.closed(null);
            feeder.assertNothingRetained();
        }
    }

    @Test
    void upgradeMutations() {
        Conversation c = Http1WebSocketUpgradeTest.upgrade();
        Random random = new Random(5);
        for (int i = 0; i < MUTATIONS / 10; i++) {
            ObserverRun run = new ObserverRun("http", 1024);
            for (Conversation.Step s : c.steps()) {
                byte[] bytes = mutate(s.bytes(), random);
                int cut = random.nextInt(bytes.length + 1);
                run.feed(s.fromClient(), bytes, 0, cut);
                run.feed(s.fromClient(), bytes, cut, bytes.length);
            }
            run.close(null);
        }
    }

    static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> bytes = Arrays.copyOf(bytes, at);
                case 3 -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
                default -> {
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                }
            }
        }
        return bytes;
    }
}
