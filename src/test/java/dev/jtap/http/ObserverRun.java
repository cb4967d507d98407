package dev.jtap.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.CollectingSink;
import dev.jtap.record.Exchange;
import dev.jtap.record.Recorder;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Feeds a conversation, cut into given pieces, through a fresh observer and reports what it recorded. */
final class ObserverRun {

    /** What a test checks about one exchange. */
    record Seen(String method, String url, int status, long requestBytes, long responseBytes, String responsePrefix,
            String error) {

        static Seen of(Exchange e) {
            return new Seen(e.method(), e.url(), e.status(), e.requestBody().size(), e.responseBody().size(),
                    new String(e.responseBody().prefix(), StandardCharsets.ISO_8859_1), e.error());
        }

        static Seen ok(String method, String url, int status, String body) {
            return new Seen(method, url, status, 0, body.length(), body, null);
        }

        Seen withRequestBytes(long bytes) {
            return new Seen(method, url, status, bytes, responseBytes, responsePrefix, error);
        }

        Seen withResponseBytes(long bytes) {
            return new Seen(method, url, status, requestBytes, bytes, responsePrefix, error);
        }
    }

    /** Where a piece of a step ends. */
    interface Cutter {
        /** Offsets (exclusive ends) at which step {@code stepIndex} of length {@code length} is cut. */
        int[] cuts(int stepIndex, int length);
    }

    final CollectingSink sink = new CollectingSink();
    final Http1Observer observer;
    private final SplitFeeder feeder;

    ObserverRun(String scheme, int maxBody) {
        Recorder recorder = new Recorder(List.of(sink), new PrintStream(OutputStream.nullOutputStream()));
        observer = new Http1Observer(7, scheme, "default.test", recorder, maxBody);
        feeder = new SplitFeeder((fromClient, buf) -> {
            if (fromClient) {
                observer.clientBytes(buf);
            } else {
                observer.serverBytes(buf);
            }
        });
    }

    static ObserverRun play(Conversation conversation, Cutter cutter) {
        return play(conversation, cutter, "http", 1 << 20);
    }

    static ObserverRun play(Conversation conversation, Cutter cutter, String scheme, int maxBody) {
        ObserverRun run = new ObserverRun(scheme, maxBody);
        List<Conversation.Step> steps = conversation.steps();
        for (int i = 0; i < steps.size(); i++) {
            Conversation.Step step = steps.get(i);
            int start = 0;
            for (int end : cutter.cuts(i, step.bytes().length)) {
                run.feed(step.fromClient(), step.bytes(), start, end);
                start = end;
            }
            run.feed(step.fromClient(), step.bytes(), start, step.bytes().length);
        }
        run.close(conversation.closeReason());
        assertThat(run.sink.finished()).as("every announced exchange finishes").hasSameSizeAs(run.sink.sent());
        assertThat(run.sink.violations()).isEmpty();
        return run;
    }

    /** Feeds a pooled buffer with spare room at both ends and checks the observer left it as it was. */
    void feed(boolean fromClient, byte[] bytes, int from, int to) {
        feeder.feed(fromClient, bytes, from, to);
    }

    /** Closes the connection and checks that the observer let go of every buffer it was given. */
    void close(String reason) {
        observer.closed(reason);
        feeder.assertNothingRetained();
    }

    /** Finished exchanges in request order. */
    List<Seen> seen() {
        return sink.sent().stream().map(Seen::of).toList();
    }
}
