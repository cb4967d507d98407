package dev.jtap.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One platform thread that has left the host's network and mount namespaces. Work that must
 * happen inside (creating the TUN, listening sockets, mounts, spawning the child) is handed to it;
 * it never starts a thread pool, because every thread it creates would inherit its namespaces.
 */
public final class NamespaceThread implements AutoCloseable {
    private static final Runnable STOP = () -> { };

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Thread thread;

    private NamespaceThread(int unshareFlags) throws ErrnoException {
        CompletableFuture<Void> entered = new CompletableFuture<>();
        thread = Thread.ofPlatform().name("jtap-namespace").daemon(true).unstarted(() -> {
            try {
                LibC.unshare(unshareFlags);
                entered.complete(null);
            } catch (ErrnoException e) {
                entered.completeExceptionally(e);
                return;
            }
            runTasks();
        });
        thread.start();
        try {
            entered.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw (ErrnoException) e.getCause();
        }
    }

    /** Starts the thread and moves it into new namespaces ({@link LibC#CLONE_NEWNET} etc.). */
    public static NamespaceThread enter(int unshareFlags) throws ErrnoException {
        return new NamespaceThread(unshareFlags);
    }

    private void runTasks() {
        while (true) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            task.run();
        }
    }

    /** Runs {@code work} inside the namespaces and waits for its result. */
    public <T> T call(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        tasks.add(STOP);
    }

    /** The network namespace of the calling thread, e.g. {@code net:[4026531840]}. */
    public static String currentNetworkNamespace() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }
}
