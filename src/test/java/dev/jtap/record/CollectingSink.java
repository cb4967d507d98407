package dev.jtap.record;

import java.util.ArrayList;
import java.util.List;

/** Remembers every event, in order, and checks that each exchange is announced once and finished once. */
public final class CollectingSink implements ExchangeSink {

    private final List<Exchange> sent = new ArrayList<>();
    private final List<Exchange> finished = new ArrayList<>();

    @Override
    public synchronized void requestSent(Exchange exchange) {
        if (sent.contains(exchange)) {
            throw new AssertionError("announced twice: " + exchange);
        }
        sent.add(exchange);
    }

    @Override
    public synchronized void exchangeFinished(Exchange exchange) {
        if (!sent.contains(exchange)) {
            throw new AssertionError("finished before it was announced: " + exchange);
        }
        if (finished.contains(exchange)) {
            throw new AssertionError("finished twice: " + exchange);
        }
        if (!exchange.isFinished()) {
            throw new AssertionError("announced as finished without a finish time: " + exchange);
        }
        finished.add(exchange);
    }

    public synchronized List<Exchange> sent() {
        return List.copyOf(sent);
    }

    /** Finished exchanges, in the order they finished. */
    public synchronized List<Exchange> finished() {
        return List.copyOf(finished);
    }
}
