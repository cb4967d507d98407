package dev.jtap.linux;

import org.junit.jupiter.api.Test;

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
    void unknownErrnoIsStillDescribed() {
        assertThat(Errno.describe(4242)).isEqualTo("errno 4242");
    }
}
