package dev.jtap.cli;

import dev.jtap.record.CoalescingOutput;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

/** Netty's event loops as the console's {@link CoalescingOutput.Turns}: a turn is one pass of the loop. */
final class EventLoopTurns implements CoalescingOutput.Turns {

    @Override
    public boolean inTurn() {
        return ThreadExecutorMap.currentExecutor() != null;
    }

    @Override
    public void afterTurn(Runnable task) {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        if (loop == null) {
            task.run();
        } else {
            loop.execute(task);
        }
    }
}
