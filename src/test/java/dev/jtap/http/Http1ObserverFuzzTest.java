package dev.jtap.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.http.Conversations.Case;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Randomly damaged conversations, cut at random places, never make the observer throw or leak. */
class Http1ObserverFuzzTest {

    private static final int ROUNDS = dev.jtap.Fuzz.iterations(12_000);
    private static final byte[][] INSERTIONS = {
        "\r\n".getBytes(), "\r\n\r\n".getBytes(), "0\r\n\r\n".getBytes(), "Content-Length: 3\r\n".getBytes(),
        "Transfer-Encoding: chunked\r\n".getBytes(), "HTTP/1.1 100 Continue\r\n\r\n".getBytes(),
        "HTTP/1.1 101 Switching Protocols\r\n\r\n".getBytes(), "GET / HTTP/1.1\r\n".getBytes(), {0}, {(byte) 0xff},
    };

    @Test
    void mutatedConversationsNeverThrow() {
        List<Case> cases = Conversations.all();
        Random random = new Random(20240601L);
        for (int round = 0; round < ROUNDS; round++) {
            Case c = cases.get(random.nextInt(cases.size()));
            Conversation mutated = mutate(c.conversation(), random);
            long seed = random.nextLong();
            try {
                ObserverRun run = ObserverRun.play(mutated, randomCuts(seed), random.nextBoolean() ? "http" : "https",
                        random.nextInt(64));
                assertThat(run.observer.active()).isFalse();
            } catch (Throwable t) {
                throw new AssertionError("round " + round + " (" + c + ", seed " + seed + ")", t);
            }
        }
    }

    private static ObserverRun.Cutter randomCuts(long seed) {
        Random random = new Random(seed);
        return (step, length) -> {
            if (length < 2 || random.nextInt(3) == 0) {
                return new int[0];
            }
            return random.ints(random.nextInt(1, 5), 1, length).sorted().distinct().toArray();
        };
    }

    private static Conversation mutate(Conversation conversation, Random random) {
        List<Conversation.Step> steps = new ArrayList<>(conversation.steps());
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int index = random.nextInt(steps.size());
            Conversation.Step step = steps.get(index);
            steps.set(index, new Conversation.Step(step.fromClient(), mutateBytes(step.bytes(), random)));
        }
        if (random.nextInt(10) == 0) {
            int a = random.nextInt(steps.size());
            int b = random.nextInt(steps.size());
            Conversation.Step swapped = steps.get(a);
            steps.set(a, steps.get(b));
            steps.set(b, swapped);
        }
        Conversation result = conversation.withSteps(steps);
        return random.nextBoolean() ? result : new Conversation(result.name(), steps, "connection reset");
    }

    private static byte[] mutateBytes(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return new byte[] {(byte) random.nextInt()};
        }
        int at = random.nextInt(bytes.length);
        return switch (random.nextInt(6)) {
            case 0 -> {
                byte[] copy = bytes.clone();
                copy[at] = (byte) random.nextInt();
                yield copy;
            }
            case 1 -> {
                byte[] copy = bytes.clone();
                copy[at] ^= (byte) (1 << random.nextInt(8));
                yield copy;
            }
            case 2 -> splice(bytes, at, at + Math.min(bytes.length - at, 1 + random.nextInt(8)), new byte[0]);
            case 3 -> splice(bytes, at, at, INSERTIONS[random.nextInt(INSERTIONS.length)]);
            case 4 -> Arrays.copyOf(bytes, at);
            default -> {
                int end = Math.min(bytes.length, at + 1 + random.nextInt(40));
                yield splice(bytes, at, at, Arrays.copyOfRange(bytes, at, end));
            }
        };
    }

    private static byte[] splice(byte[] bytes, int from, int to, byte[] replacement) {
        byte[] out = new byte[bytes.length - (to - from) + replacement.length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(replacement, 0, out, from, replacement.length);
        System.arraycopy(bytes, to, out, from + replacement.length, bytes.length - to);
        return out;
    }
}
