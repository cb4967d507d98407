package dev.jtap.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibCTest {
    @Test
    void failedCallBecomesExceptionNamingCallAndErrno() {
        assertThatThrownBy(() -> LibC.open("/nonexistent/jtap-test", LibC.O_RDWR))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.call()).isEqualTo("open /nonexistent/jtap-test");
                    assertThat(e.getMessage()).contains("open /nonexistent/jtap-test", "ENOENT");
                });
    }

    @Test
    void killOfMissingProcessReportsFalse() throws Exception {
        assertThat(LibC.kill(Integer.MAX_VALUE - 7, 0)).isFalse();
    }

    @Test
    void eventfdOpensAndCloses() throws Exception {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        assertThat(fd).isPositive();
        LibC.close(fd);
    }

    @Test
    void pollWaitsForWhatWriteMakesReadable() throws Exception {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LibC.newCallState(arena);
            MemorySegment pollFd = arena.allocate(8);
            pollFd.set(JAVA_INT, 0, fd);
            pollFd.set(JAVA_SHORT, 4, LibC.POLLIN);
            long started = System.nanoTime();
            assertThat(LibC.poll(state, pollFd, 1, 150)).as("nothing to read yet").isZero();
            assertThat(System.nanoTime() - started).as("the timeout was waited").isGreaterThan(100_000_000L);
            MemorySegment value = arena.allocate(JAVA_LONG);
            assertThat(LibC.read(state, fd, value, 8)).isEqualTo(-Errno.EAGAIN);

            value.set(JAVA_LONG, 0, 5);
            assertThat(LibC.write(state, fd, value, 8)).isEqualTo(8);
            assertThat(LibC.poll(state, pollFd, 1, 1000)).isEqualTo(1);
            assertThat(pollFd.get(JAVA_SHORT, 6) & LibC.POLLIN).isNotZero();
            value.set(JAVA_LONG, 0, 0);
            assertThat(LibC.read(state, fd, value, 8)).isEqualTo(8);
            assertThat(value.get(JAVA_LONG, 0)).isEqualTo(5);
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void socketOptionsRoundTrip() throws Exception {
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        try {
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, 65536, "SO_RCVBUF");
            byte[] value = LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, 4, "SO_RCVBUF");
            assertThat(value).hasSize(4);
            assertThat(java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.nativeOrder()).getInt())
                    .as("the kernel doubles what it was given").isEqualTo(131072);
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void killOfThisProcessWithSignalZeroReportsTrue() throws Exception {
        assertThat(LibC.kill(ProcessHandle.current().pid(), 0)).isTrue();
    }

    @Test
    void terminalOwnershipIsFalseForAFileThatIsNoTerminal() {
        assertThat(LibC.ownsTerminal(Integer.MAX_VALUE)).isFalse();
    }

    @Test
    void unknownErrnoIsStillDescribed() {
        assertThat(Errno.describe(4242)).isEqualTo("errno 4242");
    }
}
