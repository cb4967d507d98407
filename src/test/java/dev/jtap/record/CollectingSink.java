package dev.jtap.record;

import java.util.ArrayList;
import java.util.List;

/**
 * Remembers every event, in order, and notes any exchange announced twice, finished twice or finished
 * before it was announced. Violations are collected rather than thrown because the recorder swallows
 * whatever a sink throws.
 */
public final class CollectingSink implements ExchangeSink {

    private final List<Exchange> sent = new ArrayList<>();
    private final List<Exchange> finished = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    @Override
    public synchronized void requestSent(Exchange exchange) {
        if (sent.contains(exchange)) {
            violations.add("announced twice: " + exchange);
            return;
        }
        sent.add(exchange);
    }

    @Override
    public synchronized void exchangeFinished(Exchange exchange) {
        if (!sent.contains(exchange)) {
            violations.add("finished before it was announced: " + exchange);
        }
        if (finished.contains(exchange)) {
            violations.add("finished twice: " + exchange);
            return;
        }
        if (!exchange.isFinished()) {
            violations.add("announced as finished without a finish time: " + exchange);
        }
        finished.add(exchange);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized List<Exchange> sent() {
        return List.copyOf(sent);
    }

    /** Finished exchanges, in the order they finished. */
    public synchronized List<Exchange> finished() {
        return List.copyOf(finished);
    }
}
