package dev.jtap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs the same work on several threads released together, to shake out interleaving. */
public final class AtOnce {
    /** One step of one thread's work. */
    public interface Step {
        void run(int thread, int index) throws Exception;
    }

    private AtOnce() {
    }

    /** {@code threads} threads each run {@code step} for indexes 0 to {@code steps - 1}; waits for all. */
    public static void run(int threads, int steps, Step step) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < steps; i++) {
                        step.run(thread, i);
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
