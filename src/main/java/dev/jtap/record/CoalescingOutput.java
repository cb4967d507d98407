package dev.jtap.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.RejectedExecutionException;

/**
 * The console's output stream: a flush requested where it can wait (on an event loop, which relays
 * many exchanges per turn) is done once, after the loop's turn, so the lines of all those exchanges
 * leave in one write instead of one write each. A flush requested anywhere else is done at once, and
 * it writes whatever is still held, so lines keep the order they were printed in.
 */
public final class CoalescingOutput extends OutputStream {

    private final OutputStream target;
    private final Turns turns;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream(8192);
    private boolean flushPending;

    /** The threads that work in turns (event loops), where a flush can wait for the end of the turn. */
    public interface Turns {
        /** Whether the calling thread works in turns. */
        boolean inTurn();

        /** Runs {@code task} on the calling thread after its current turn. */
        void afterTurn(Runnable task);
    }

    public CoalescingOutput(OutputStream target, Turns turns) {
        this.target = target;
        this.turns = turns;
    }

    @Override
    public synchronized void write(int b) {
        held.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        held.write(bytes, offset, length);
    }

    @Override
    public void flush() {
        if (!turns.inTurn()) {
            flushHeld();
            return;
        }
        synchronized (this) {
            if (held.size() == 0 || flushPending) {
                return;
            }
            flushPending = true;
        }
        try {
            turns.afterTurn(this::flushHeld);
        } catch (RejectedExecutionException e) {
            flushHeld(); // the loop is shutting down
        }
    }

    /** Writes everything held now, whichever thread asks. */
    public synchronized void flushHeld() {
        flushPending = false;
        if (held.size() == 0) {
            return;
        }
        try {
            held.writeTo(target);
            target.flush();
        } catch (IOException e) {
            // The console is gone (closed pipe): what it would have shown is lost, never the traffic.
        }
        held.reset();
    }

    @Override
    public void close() {
        flushHeld();
    }
}
