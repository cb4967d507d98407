package dev.jtap.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecorderTest {

    @Test
    void failingSinkIsReportedOnceAndOthersStillHearEverything() {
        ExchangeSink failing = new ExchangeSink() {
            @Override
            public void requestSent(Exchange exchange) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void exchangeFinished(Exchange exchange) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void close() {
                throw new IllegalStateException("boom");
            }
        };
        CollectingSink collected = new CollectingSink();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Recorder recorder = new Recorder(List.of(failing, collected), new PrintStream(errors, true));
        for (int i = 0; i < 3; i++) {
            Exchange e = new Exchange(1, Instant.now(), "GET", "http://h/" + i, "HTTP/1.1", List.of(), 10);
            recorder.requestSent(e);
            e.finish(Instant.now());
            recorder.exchangeFinished(e);
        }
        recorder.close();
        assertThat(collected.finished()).hasSize(3);
        assertThat(errors.toString().lines()).hasSize(1).first().asString().contains("boom");
    }

    @Test
    void recordingSinksHearEachEventBeforeTheConsole() {
        java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExchangeSink console = new ExchangeSink() {
            @Override
            public boolean isDisplay() {
                return true;
            }

            @Override
            public void requestSent(Exchange exchange) {
                order.add("console");
            }

            @Override
            public void exchangeFinished(Exchange exchange) {
                order.add("console");
            }
        };
        Recorder recorder = new Recorder(List.of(console), System.err);
        for (String name : List.of("har", "jsonl")) {
            recorder.addSink(new ExchangeSink() {
                @Override
                public void requestSent(Exchange exchange) {
                    order.add(name);
                }

                @Override
                public void exchangeFinished(Exchange exchange) {
                    order.add(name);
                }
            });
        }
        Exchange e = new Exchange(1, Instant.now(), "GET", "http://h/", "HTTP/1.1", List.of(), 10);
        recorder.requestSent(e);
        recorder.exchangeFinished(e);
        assertThat(order).containsExactly("har", "jsonl", "console", "har", "jsonl", "console");
        assertThat(new ConsoleSink(new PrintStream(new ByteArrayOutputStream()), false, false, false).isDisplay()).isTrue();
    }
}
