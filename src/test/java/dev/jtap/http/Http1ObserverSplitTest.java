package dev.jtap.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.http.Conversations.Case;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every valid conversation must be recorded the same way however its bytes are cut into reads. */
class Http1ObserverSplitTest {

    static List<Case> cases() {
        return Conversations.all();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void wholeSteps(Case c) {
        check(c, ObserverRun.play(c.conversation(), (step, length) -> new int[0]));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void byteByByte(Case c) {
        check(c, ObserverRun.play(c.conversation(), (step, length) -> IntStream.range(1, length).toArray()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyTwoPieceSplitOfEveryStep(Case c) {
        List<Conversation.Step> steps = c.conversation().steps();
        for (int target = 0; target < steps.size(); target++) {
            for (int cut = 1; cut < steps.get(target).bytes().length; cut++) {
                int splitStep = target;
                int at = cut;
                ObserverRun run = ObserverRun.play(c.conversation(),
                        (step, length) -> step == splitStep ? new int[] {at} : new int[0]);
                check(c, run);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyTwoPieceSplitOfEachDirectionJoined(Case c) {
        // Client bytes all first, then server bytes, each direction as one stream cut once: this is what a
        // pipelining client and a batching server look like. Only sensible when no step depends on a reply.
        if (c.upgraded() || c.conversation().name().equals("close-delimited reset")) {
            return;
        }
        byte[] client = joined(c.conversation(), true);
        byte[] server = joined(c.conversation(), false);
        for (int cut = 0; cut <= Math.max(client.length, server.length); cut++) {
            ObserverRun run = new ObserverRun("http", 1 << 20);
            int clientCut = Math.min(cut, client.length);
            int serverCut = Math.min(cut, server.length);
            run.feed(true, client, 0, clientCut);
            run.feed(true, client, clientCut, client.length);
            run.feed(false, server, 0, serverCut);
            run.feed(false, server, serverCut, server.length);
            run.close(c.conversation().closeReason());
            check(c, run);
        }
    }

    private static byte[] joined(Conversation conversation, boolean fromClient) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Conversation.Step step : conversation.steps()) {
            if (step.fromClient() == fromClient) {
                out.writeBytes(step.bytes());
            }
        }
        return out.toByteArray();
    }

    private static void check(Case c, ObserverRun run) {
        assertThat(run.seen()).isEqualTo(c.expected());
        assertThat(run.sink.finished()).hasSameSizeAs(c.expected());
        assertThat(run.observer.upgraded()).isEqualTo(c.upgraded());
        assertThat(run.observer.active()).isFalse();
    }
}
