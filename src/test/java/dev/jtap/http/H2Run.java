package dev.jtap.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.CollectingSink;
import dev.jtap.record.Exchange;
import dev.jtap.record.ExchangeSink;
import dev.jtap.record.Recorder;
import dev.jtap.record.WebSocketMessage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fresh {@link Http2Observer} with sinks that remember everything it reported. */
final class H2Run {

    final CollectingSink sink = new CollectingSink();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<WebSocketMessage> webSocketMessages = new CopyOnWriteArrayList<>();
    final Recorder recorder = new Recorder(List.of(sink, new ExchangeSink() {
        @Override
        public void requestSent(Exchange exchange) {
        }

        @Override
        public void exchangeFinished(Exchange exchange) {
        }

        @Override
        public void responseStarted(Exchange exchange) {
            events.add("started " + exchange.url());
        }

        @Override
        public void serverSentEvent(Exchange exchange, String eventText) {
            events.add("event " + eventText);
        }

        @Override
        public void webSocketMessage(Exchange exchange, WebSocketMessage message) {
            webSocketMessages.add(message);
        }
    }), new PrintStream(OutputStream.nullOutputStream()));
    final Http2Observer observer = new Http2Observer(3, "https", "default.test", recorder, 1 << 16);
    final SplitFeeder feeder = new SplitFeeder((fromClient, buf) -> {
        if (fromClient) {
            observer.clientBytes(buf);
        } else {
            observer.serverBytes(buf);
        }
    });

    H2Run close(String reason) {
        observer.closed(reason);
        feeder.assertNothingRetained();
        assertThat(sink.violations()).isEmpty();
        assertThat(sink.finished()).as("every announced exchange finishes").hasSameSizeAs(sink.sent());
        return this;
    }

    List<ObserverRun.Seen> seen() {
        return sink.sent().stream().map(ObserverRun.Seen::of).toList();
    }
}
