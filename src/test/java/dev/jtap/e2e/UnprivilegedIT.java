package dev.jtap.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** jtap run by an ordinary user: a temporary account, removed afterwards with /dev/net/tun's mode restored. */
class UnprivilegedIT {
    private static final Path TUN = Path.of("/dev/net/tun");
    private static final String USER = "jtapit" + ProcessHandle.current().pid() % 10000;
    private static Set<PosixFilePermission> originalMode;
    private static int uid;

    @BeforeAll
    static void createUser() throws Exception {
        assumeTrue(HostState.command("id", "-u").strip().equals("0"), "needs root to create a user");
        originalMode = Files.getPosixFilePermissions(TUN);
        Process add = new ProcessBuilder("useradd", "--no-create-home", "--shell", "/bin/sh", USER)
                .inheritIO().start();
        assertThat(add.waitFor()).isZero();
        uid = Integer.parseInt(HostState.command("id", "-u", USER).strip());
    }

    @AfterAll
    static void removeUser() throws Exception {
        if (originalMode != null) {
            Files.setPosixFilePermissions(TUN, originalMode);
            new ProcessBuilder("userdel", USER).inheritIO().start().waitFor();
        }
    }

    private static Jtap.Result runAsUser(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
        line.addAll(Jtap.commandLine(List.of(args)));
        Jtap.Running running = Jtap.start(line, Map.of("HOME", "/tmp"));
        running.process.getOutputStream().close();
        return running.await(Duration.ofSeconds(60));
    }

    @Test
    void callerUidAndGidAreKeptAndTunErrorsAreClear() throws Exception {
        Files.setPosixFilePermissions(TUN, PosixFilePermissions.fromString("rw-------"));
        Jtap.Result denied = runAsUser("--", "true");
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(1);
        assertThat(denied.stderr().strip()).contains("/dev/net/tun", "chmod 666").doesNotContain("\n");

        Files.setPosixFilePermissions(TUN, PosixFilePermissions.fromString("rw-rw-rw-"));
        Jtap.Result result = runAsUser("--", "sh", "-c", "id -u; id -g; echo JTAP=$JTAP");
        String gid = HostState.command("id", "-g", USER).strip();
        assertThat(result.stdout()).as(result.toString()).isEqualTo(uid + "\n" + gid + "\nJTAP=1\n");
        assertThat(result.exitCode()).isZero();
    }
}
