package dev.jtap.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Start-up work done on a thread of its own (in the host's namespaces) while the rest goes on. */
final class Background {
    private Background() {
    }

    static <T> CompletableFuture<T> start(String threadName, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        completeOnThread(result, threadName, work);
        return result;
    }

    /** Completes {@code result} with the outcome of {@code work}, run on a thread of its own. */
    static <T> void completeOnThread(CompletableFuture<T> result, String threadName, Callable<T> work) {
        Thread.ofPlatform().name(threadName).daemon(true).start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
    }

    /** The work's result, or the exception it threw. */
    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
