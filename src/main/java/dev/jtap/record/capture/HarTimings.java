package dev.jtap.record.capture;

import dev.jtap.record.Exchange;
import java.time.Duration;
import java.time.Instant;

/**
 * HAR's send/wait/receive phases in milliseconds, from the instants an exchange recorded: send runs
 * from the start to the request being sent, wait until the response head, receive until the end. A
 * phase whose instant is unknown is 0 and its time goes to the next known phase, so the phases add up
 * to the whole exchange; none is ever negative.
 */
record HarTimings(double sendMillis, double waitMillis, double receiveMillis) {

    static HarTimings of(Exchange exchange, Instant end) {
        Instant started = exchange.started();
        Instant requestSent = exchange.requestSent();
        Instant responseStarted = exchange.responseStarted();
        Instant waitFrom = requestSent != null ? requestSent : started;
        double send = requestSent != null ? millisBetween(started, requestSent) : 0;
        double wait = millisBetween(waitFrom, responseStarted != null ? responseStarted : end);
        double receive = responseStarted != null ? millisBetween(responseStarted, end) : 0;
        return new HarTimings(send, wait, receive);
    }

    /** HAR's {@code time}: the sum of the phases. */
    double total() {
        return sendMillis + waitMillis + receiveMillis;
    }

    private static double millisBetween(Instant from, Instant to) {
        Duration duration = Duration.between(from, to);
        return Math.max(0, duration.getSeconds() * 1e3 + duration.getNano() / 1e6);
    }
}
