package dev.jtap.e2e;

import dev.jtap.e2e.support.Command;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The foundation: a command runs as usual, but in its own network namespace behind jtap0. */
class FoundationIT {
    @Test
    void echoPrintsExactlyItsOutput() throws Exception {
        Jtap.Result result = Jtap.run("--", "echo", "hello");
        assertThat(result.stdout()).as(result.toString()).isEqualTo("hello\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void exitCodesPassThrough() throws Exception {
        assertThat(Jtap.run("--", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
        assertThat(Jtap.run("--", "sh", "-c", "kill -9 $$").exitCode()).isEqualTo(137);
        assertThat(Jtap.run("--", "sh", "-c", "kill -TERM $$").exitCode()).isEqualTo(143);
    }

    @Test
    void callerIdentityIsKept() throws Exception {
        Jtap.Result result = Jtap.run("--", "sh", "-c", "id -u; id -g");
        String expected = HostState.command("id", "-u") + HostState.command("id", "-g");
        assertThat(result.stdout()).as(result.toString()).isEqualTo(expected);
    }

    @Test
    void standardInputPassesThrough() throws Exception {
        Jtap.Result result = Jtap.run(List.of("--", "cat"), Map.of(), "x\nsecond line\n", Jtap.DEFAULT_TIMEOUT);
        assertThat(result.stdout()).isEqualTo("x\nsecond line\n");
    }

    @Test
    void namespaceHasOnlyLoopbackAndTheTun() throws Exception {
        Jtap.Result result = Jtap.run("--", "sh", "-c",
                "ip -o link | cut -d: -f2; echo ===; ip -o addr; echo ===; ip route; ip -6 route; echo ===;"
                        + " cat /etc/resolv.conf; echo JTAP=$JTAP");
        String[] parts = result.stdout().split("===\n");
        assertThat(parts).as(result.toString()).hasSize(4);
        assertThat(parts[0].lines().map(String::strip)).containsExactly("lo", "jtap0");
        assertThat(parts[1]).contains("jtap0    inet 10.1.1.100/24").contains("inet6 fd00:1a7a::100/64");
        assertThat(parts[2]).contains("default via 10.1.1.1 dev jtap0").contains("default via fd00:1a7a::1 dev jtap0");
        assertThat(parts[3]).contains("nameserver 10.1.1.1").contains("JTAP=1");
    }

    @Test
    void tunSubnetAndGatewayFlagsAreHonoured() throws Exception {
        Jtap.Result result = Jtap.run("--tun", "tapx", "--subnet", "192.168.77.9/26", "--gateway", "192.168.77.1",
                "--", "sh", "-c", "ip -o addr show tapx; ip route; cat /etc/resolv.conf");
        assertThat(result.stdout()).as(result.toString())
                .contains("inet 192.168.77.9/26").contains("default via 192.168.77.1 dev tapx")
                .contains("nameserver 192.168.77.1");
    }

    @Test
    void noOverlayLeavesResolvConfAlone() throws Exception {
        String hostResolvConf = HostState.command("cat", "/etc/resolv.conf");
        Jtap.Result result = Jtap.run("--no-overlay", "--", "cat", "/etc/resolv.conf");
        assertThat(result.stdout()).isEqualTo(hostResolvConf);
    }

    @Test
    void childCannotReconfigureTheTun() throws Exception {
        Jtap.Result result = Jtap.run("--", "sh", "-c", "ip link set jtap0 down 2>&1; ip route del default 2>&1; echo done");
        assertThat(result.stdout()).contains("Operation not permitted").endsWith("done\n");
    }

    @Test
    void noNewUserNamespaceRunsAsRealRoot() throws Exception {
        Jtap.Result result = Jtap.run("--no-new-user-namespace", "--", "sh", "-c", "cat /proc/self/uid_map; echo JTAP=$JTAP");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("4294967295").contains("JTAP=1");
    }

    @Test
    void userFlagRunsTheChildAsAnotherUser() throws Exception {
        Jtap.Result result = Jtap.run("--user", "nobody", "--", "sh", "-c", "id -un");
        assertThat(result.stdout()).as(result.toString()).isEqualTo("nobody\n");
    }

    @Test
    void helpListsEveryFlagAndVersionPrints() throws Exception {
        Jtap.Result help = Jtap.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--verbose", "--stderr", "--tun", "--subnet", "--gateway", "--no-overlay",
                "--no-new-user-namespace", "--user", "--no-exit", "--version", "JTAP_");
        Jtap.Result version = Jtap.run("-V");
        assertThat(version.stdout()).startsWith("jtap ");
    }

    @Test
    void badFlagsAreOneLineErrorsWithExitOne() throws Exception {
        for (List<String> args : List.of(List.of("--bogus", "--", "true"), List.of("--subnet", "nonsense", "--", "true"),
                List.of("--gateway", "10.1.1.999", "--", "true"))) {
            Jtap.Result result = Jtap.run(args, Map.of(), null, Jtap.DEFAULT_TIMEOUT);
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.stderr().strip()).startsWith("jtap: ").doesNotContain("\n");
            assertThat(result.stdout()).isEmpty();
        }
    }

    @Test
    void environmentVariablesSetFlags() throws Exception {
        Jtap.Result result = Jtap.run(List.of("--", "true"), Map.of("JTAP_VERBOSE", "1", "JTAP_STDERR", "1"), null,
                Jtap.DEFAULT_TIMEOUT);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("created jtap0");
    }

    @Test
    void noExitWaitsForSignalAndEndsDaemonizedChildren() throws Exception {
        HostState before = HostState.capture();
        Jtap.Running running = Jtap.start(Jtap.commandLine(List.of("--no-exit", "--",
                "sh", "-c", "setsid sh -c 'echo started; exec sleep 300' & sleep 0.2")), Map.of());
        waitFor(() -> running.stdoutSoFar().contains("started"));
        Thread.sleep(500);
        assertThat(running.process.isAlive()).isTrue();
        List<Long> sleepers = ReliabilityIT.processes("sleep 300");
        assertThat(sleepers).as("the daemonized child is running").isNotEmpty();
        running.signal("TERM");
        Jtap.Result result = running.await(Duration.ofSeconds(30));
        assertThat(result.exitCode()).isEqualTo(143);
        for (long sleeper : sleepers) {
            waitFor(() -> hasEnded(sleeper));
        }
        assertThat(HostState.capture()).isEqualTo(before);
    }

    @Test
    void sigtermMidRunEndsTheChildAndLeavesNothing() throws Exception {
        HostState before = HostState.capture();
        Jtap.Running running = Jtap.start(Jtap.commandLine(List.of("--", "sh", "-c", "echo up; exec sleep 300")), Map.of());
        waitFor(() -> running.stdoutSoFar().contains("up"));
        running.signal("TERM");
        Jtap.Result result = running.await(Duration.ofSeconds(30));
        assertThat(result.exitCode()).isEqualTo(143);
        assertThat(HostState.capture()).isEqualTo(before);
    }

    @Test
    void sigintMidRunEndsTheChild() throws Exception {
        Jtap.Running running = Jtap.start(Jtap.commandLine(List.of("--", "sh", "-c", "echo up; exec sleep 300")), Map.of());
        waitFor(() -> running.stdoutSoFar().contains("up"));
        running.signal("INT");
        assertThat(running.await(Duration.ofSeconds(30)).exitCode()).isEqualTo(130);
    }

    @Test
    void normalRunLeavesNothingBehind() throws Exception {
        HostState before = HostState.capture();
        Jtap.run("--", "true");
        Jtap.run("--", "sh", "-c", "exit 9");
        assertThat(HostState.capture()).isEqualTo(before);
    }

    /** Gone, or a zombie: killed and only waiting for whoever adopted it (PID 1 here) to reap it. */
    private static boolean hasEnded(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException gone) {
            return true;
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }

    /** The launcher's AOT training run must really carry traffic, or the cache only knows start-up. */
    @Test
    void trainingRunCarriesHttpAndHttpsThroughTheTap() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Command.Result result = Command.run(Duration.ofMinutes(2), "unshare", "--user", "--map-root-user", "--",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", Jtap.REPO.resolve("target/jtap.jar").toString(),
                "dev.jtap.cli.Training");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        String out = result.out();
        for (String scheme : List.of("http", "https")) {
            assertThat(out).as(result.toString())
                    .containsPattern("<--- 200 " + scheme + "://169\\.254\\.77\\.65:\\d+/big \\(268435456 bytes\\)")
                    .containsPattern("<--- 200 " + scheme + "://169\\.254\\.77\\.65:\\d+/small \\(31 bytes\\)");
        }
    }
}
