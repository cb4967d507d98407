package dev.jtap.cli;

import dev.jtap.linux.ErrnoException;
import dev.jtap.linux.LibC;

import java.util.concurrent.TimeUnit;

/** The command jtap started: forwards signals to it and reports its exit status. */
final class ChildProcess {
    private static final int SIGKILL = 9;

    private final Process process;

    ChildProcess(Process process) {
        this.process = process;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    void signal(int signal) {
        try {
            LibC.kill(process.pid(), signal);
        } catch (ErrnoException e) {
            System.err.println("jtap: could not signal the child: " + e.getMessage());
        }
    }

    /** Sends {@code signal}, then SIGKILL if the child is still running after {@code graceMillis}. */
    void end(int signal, long graceMillis) throws InterruptedException {
        signal(signal);
        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            signal(SIGKILL);
        }
    }

    /** Exit status as a shell reports it: the code, or 128+N when killed by signal N. */
    int waitForExit() throws InterruptedException {
        return process.waitFor();
    }
}
