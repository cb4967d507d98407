package dev.jtap.record;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.concurrent.locks.StampedLock;

/**
 * Where the console's blocks go, each whole and before the caller goes on (so a line reaches the
 * terminal ahead of the bytes it describes).
 */
sealed interface ConsoleOutput {

    void print(CharSequence block);

    /**
     * jtap's own standard output or error is written through its file descriptor; any other stream
     * (tests) under the stream's lock.
     */
    static ConsoleOutput of(PrintStream stream) {
        FileDescriptor own = stream == System.out ? FileDescriptor.out : stream == System.err ? FileDescriptor.err : null;
        return own != null ? new Descriptor(new FileOutputStream(own), stream.charset()) : new LockedStream(stream);
    }

    /** Any stream: a block is one println under the stream's lock. */
    record LockedStream(PrintStream stream) implements ConsoleOutput {
        @Override
        public void print(CharSequence block) {
            synchronized (stream) {
                stream.println(block);
                stream.flush();
            }
        }
    }

    /**
     * A file descriptor: each block leaves in one write(2). The kernel keeps one write whole on a
     * terminal, a file and a pipe (up to PIPE_BUF bytes there), so event loops printing short blocks
     * at once do not wait for each other (waiting on a shared lock cost keep-alive some 10 %); only a
     * longer block, e.g. with a body, shuts the others out until it is written.
     */
    final class Descriptor implements ConsoleOutput {
        /** Linux's PIPE_BUF: pipes write at most this many bytes atomically. */
        static final int ATOMIC_WRITE_BYTES = 4096;

        private final FileOutputStream descriptor;
        private final Charset charset;
        private final StampedLock writers = new StampedLock();

        Descriptor(FileOutputStream descriptor, Charset charset) {
            this.descriptor = descriptor;
            this.charset = charset;
        }

        @Override
        public void print(CharSequence block) {
            byte[] bytes = (block + System.lineSeparator()).getBytes(charset);
            boolean atomic = bytes.length <= ATOMIC_WRITE_BYTES;
            long stamp = atomic ? writers.readLock() : writers.writeLock();
            try {
                descriptor.write(bytes);
            } catch (IOException e) {
                // as PrintStream does: a closed terminal or pipe must not stop the relay
            } finally {
                writers.unlock(stamp);
            }
        }
    }
}
