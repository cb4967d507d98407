package dev.jtap.record;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands every event to every sink. A sink that throws is reported once on the error stream and keeps
 * receiving later events; its failure never reaches the protocol code that called the recorder.
 * Display sinks hear each event after every other sink, so what the user sees is already recorded.
 */
public final class Recorder implements ExchangeSink {

    private final List<ExchangeSink> sinks = new CopyOnWriteArrayList<>();
    private final Set<ExchangeSink> alreadyReported = ConcurrentHashMap.newKeySet();
    private final PrintStream errors;

    public Recorder(List<? extends ExchangeSink> sinks, PrintStream errors) {
        this.errors = errors;
        sinks.forEach(this::addSink);
    }

    public Recorder(ExchangeSink... sinks) {
        this(List.of(sinks), System.err);
    }

    /** Adds a sink; recording sinks go ahead of display sinks, each kind in the order added. */
    public synchronized void addSink(ExchangeSink sink) {
        if (sink.isDisplay()) {
            sinks.add(sink);
            return;
        }
        int firstDisplay = 0;
        while (firstDisplay < sinks.size() && !sinks.get(firstDisplay).isDisplay()) {
            firstDisplay++;
        }
        sinks.add(firstDisplay, sink);
    }

    @Override
    public void requestSent(Exchange exchange) {
        each(sink -> sink.requestSent(exchange));
    }

    @Override
    public void exchangeFinished(Exchange exchange) {
        each(sink -> sink.exchangeFinished(exchange));
    }

    @Override
    public void responseStarted(Exchange exchange) {
        each(sink -> sink.responseStarted(exchange));
    }

    @Override
    public void webSocketMessage(Exchange exchange, WebSocketMessage message) {
        each(sink -> sink.webSocketMessage(exchange, message));
    }

    @Override
    public void serverSentEvent(Exchange exchange, String eventText) {
        each(sink -> sink.serverSentEvent(exchange, eventText));
    }

    @Override
    public void close() {
        each(ExchangeSink::close);
    }

    private void each(Consumer<ExchangeSink> event) {
        for (ExchangeSink sink : sinks) {
            try {
                event.accept(sink);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                if (alreadyReported.add(sink)) {
                    try {
                        errors.println("jtap: output " + sink.getClass().getSimpleName() + " failed: " + e);
                    } catch (RuntimeException ignored) {
                        // nowhere left to report to
                    }
                }
            }
        }
    }
}
