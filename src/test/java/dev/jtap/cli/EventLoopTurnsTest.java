package dev.jtap.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.record.CoalescingOutput;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console on a real Netty event loop: lines printed in one turn leave in one write. */
class EventLoopTurnsTest {

    private final List<String> writes = new ArrayList<>();
    private final OutputStream terminal = new ByteArrayOutputStream() {
        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            writes.add(new String(bytes, offset, length, UTF_8));
        }
    };
    private final PrintStream console =
            new PrintStream(new CoalescingOutput(terminal, new EventLoopTurns()), true, UTF_8);
    private final EventExecutor loop = new DefaultEventExecutor();

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void linesPrintedInOneTurnLeaveInOneWrite() throws Exception {
        loop.submit(() -> {
            for (int i = 0; i < 100; i++) {
                console.println("line " + i);
            }
            assertThat(writes).isEmpty();
        }).get();
        loop.submit(() -> { }).get(); // the turn after: the flush has run

        assertThat(writes).hasSize(1);
        assertThat(writes.getFirst()).startsWith("line 0\n").endsWith("line 99\n").contains("line 50\n");
    }

    @Test
    void aLineOutsideAnyLoopIsWrittenAtOnce() {
        console.println("from main");

        assertThat(writes).containsExactly("from main\n");
    }

    @Test
    void aFlushOutsideTheLoopWritesWhatTheLoopStillHoldsFirst() throws Exception {
        loop.submit(() -> console.println("from the loop")).get();
        console.println("from main"); // may run before the loop's deferred flush: order is kept all the same

        assertThat(String.join("", writes)).isEqualTo("from the loop\nfrom main\n");
    }
}
