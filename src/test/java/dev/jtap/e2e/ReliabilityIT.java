package dev.jtap.e2e;

import dev.jtap.e2e.support.Command;
import dev.jtap.e2e.support.TestCa;
import dev.jtap.e2e.support.TestDnsServer;
import dev.jtap.e2e.support.TestHttpServer;
import dev.jtap.record.capture.JsonTree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.jtap.e2e.PlaneSupport.ALIAS;
import static dev.jtap.e2e.PlaneSupport.host;
import static dev.jtap.e2e.PlaneSupport.jtap;
import static dev.jtap.e2e.PlaneSupport.quote;
import static dev.jtap.e2e.PlaneSupport.requireTools;
import static dev.jtap.e2e.PlaneSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability under load, upstream/child faults and signals: the child sees what it would see
 * without jtap, jtap says so in one line, keeps serving, and leaves nothing behind.
 */
class ReliabilityIT {
    private static TestCa ca;
    private static Path caFile;

    @BeforeAll
    static void ca(@TempDir Path dir) {
        ca = TestCa.create("reliability test CA");
        caFile = ca.writePem(dir.resolve("test-ca.pem"));
    }

    private static TestHttpServer https() {
        return TestHttpServer.https(ca, ALIAS, "127.0.0.1");
    }

    // ---------------------------------------------------------------- load

    /**
     * 2 × 10 000 HTTPS exchanges over 200 concurrent keep-alive connections with h2load (after a
     * 2 000-exchange warm-up), in one jtap session: no failed request, every exchange in the HAR and the JSONL, and jtap's resident
     * memory after the second round not much above the first (a leak of per-exchange state would
     * show up as tens of MB per round).
     */
    @Test
    void tenThousandHttpsExchangesTwiceWithFlatMemory(@TempDir Path dir) throws Exception {
        requireTools("h2load");
        Path har = dir.resolve("load.har");
        Path jsonl = dir.resolve("load.jsonl");
        Path go = dir.resolve("go");
        try (TestHttpServer server = https()) {
            // Warm the test server's JIT first: a cold JVM doing 200 TLS handshakes at once on a small
            // machine can take longer than jtap's upstream handshake timeout (see SECURITY.md notes).
            Command.Result warm = host("h2load", "-n2000", "-c50", "--h1", server.url("127.0.0.1", "/text"));
            assertThat(warm.out()).as(warm.toString()).contains("2000 succeeded");
            server.clearRecords();
            String url = quote(server.url(ALIAS, "/text"));
            // Round 0 warms jtap's JIT (2 000 exchanges over 50 connections) so that the 200 simultaneous
            // TLS handshakes of round 1 are not all done by cold code: proxy/TlsInterception gives both
            // of jtap's handshakes Netty's default 10 s timeout, which a starved machine can exceed.
            String script = "h2load -n2000 -c50 --h1 " + url + " > " + dir + "/h2load-0.txt 2>&1 || exit 3;"
                    + " for round in 1 2; do h2load -n10000 -c200 -m1 --h1 " + url + " > " + dir + "/h2load-$round.txt 2>&1;"
                    + " echo \"round $round exit $?\"; while [ ! -e " + go + "$round ]; do sleep 0.05; done; done";
            Jtap.Running running = Jtap.start(Jtap.commandLine(List.of("--stderr", "--upstream-ca", caFile.toString(),
                    "--dump-har", har.toString(), "--dump-jsonl", jsonl.toString(), "--", "sh", "-c", script)), Map.of());
            long[] rss = new long[2];
            Jtap.Result result;
            try {
                for (int round = 1; round <= 2; round++) {
                    String marker = "round " + round + " exit ";
                    waitFor(() -> running.stdoutSoFar().contains(marker) || !running.process.isAlive(),
                            Duration.ofMinutes(3));
                    assertThat(running.stdoutSoFar()).contains(marker + "0");
                    rss[round - 1] = residentKib(running.process.pid());
                    Files.createFile(dir.resolve("go" + round));
                }
                result = running.await(Duration.ofSeconds(60));
            } finally {
                stop(running);
            }
            assertThat(result.exitCode()).as(result.toString().substring(0, Math.min(4000, result.toString().length())))
                    .isZero();
            for (int round = 1; round <= 2; round++) {
                String report = Files.readString(dir.resolve("h2load-" + round + ".txt"));
                assertThat(report).as(report)
                        .contains("requests: 10000 total, 10000 started, 10000 done, 10000 succeeded, 0 failed, 0 errored, 0 timeout")
                        .contains("status codes: 10000 2xx");
            }
            assertThat(server.requests()).hasSize(22_000);
            assertThat(harEntries(har)).hasSize(22_000);
            long exchanges;
            try (var lines = Files.lines(jsonl)) {
                exchanges = lines.map(l -> JsonTree.object(JsonTree.parse(l.getBytes(StandardCharsets.UTF_8))))
                        .filter(n -> "exchange".equals(n.get("type"))).count();
            }
            assertThat(exchanges).isEqualTo(22_000);
            System.out.printf("ReliabilityIT load: jtap VmRSS after round 1 = %d KiB, after round 2 = %d KiB%n",
                    rss[0], rss[1]);
            assertThat(rss[1]).as("VmRSS after round 2 vs round 1 (KiB)").isLessThanOrEqualTo(rss[0] * 3 / 2);
        }
    }

    static List<Object> harEntries(Path har) throws IOException {
        return JsonTree.array(JsonTree.object(JsonTree.object(JsonTree.parse(Files.readAllBytes(har))).get("log"))
                .get("entries"));
    }

    static long residentKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }

    // ---------------------------------------------------------------- upstream faults

    /** curl's exit code for {@code path} directly and through jtap, plus jtap's own output. */
    private record Compared(int direct, Jtap.Result tapped) {
    }

    private static Compared curlBoth(TestHttpServer server, String path, String... extra) throws Exception {
        List<String> direct = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "--cacert", caFile.toString()));
        direct.addAll(List.of(extra));
        direct.add(server.url("127.0.0.1", path));
        Command.Result expected = Command.run(PlaneSupport.TIMEOUT, direct);
        List<String> inside = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null"));
        inside.addAll(List.of(extra));
        inside.add(server.url(ALIAS, path));
        Jtap.Result tapped = jtap(List.of("--upstream-ca", caFile.toString()), inside.toArray(String[]::new));
        return new Compared(expected.exitCode(), tapped);
    }

    /** jtap's lines (stderr, since {@code --stderr}) that mention {@code path}'s response. */
    private static List<String> responseLines(Jtap.Result result, String path) {
        return result.stderr().lines().filter(l -> l.startsWith("<---") && l.contains(path)).toList();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void upstreamResetMidBodyGivesTheDirectExitCode(boolean tls) throws Exception {
        try (TestHttpServer server = tls ? https() : TestHttpServer.http()) {
            Compared c = curlBoth(server, "/reset-mid-body");
            assertThat(c.direct()).isNotZero();
            assertThat(c.tapped().exitCode()).as(c.tapped().toString()).isEqualTo(c.direct());
            assertThat(responseLines(c.tapped(), "/reset-mid-body")).as(c.tapped().toString()).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void upstreamCloseBeforeResponseGivesTheDirectExitCode(boolean tls) throws Exception {
        try (TestHttpServer server = tls ? https() : TestHttpServer.http()) {
            Compared c = curlBoth(server, "/close-before-response");
            assertThat(c.direct()).isEqualTo(52);
            assertThat(c.tapped().exitCode()).as(c.tapped().toString()).isEqualTo(c.direct());
            assertThat(responseLines(c.tapped(), "/close-before-response")).as(c.tapped().toString())
                    .singleElement().asString().startsWith("<--- ERR ");
        }
    }

    /**
     * jtap reports an exchange the server ended before the child learns of the end: on one stdout its
     * ERR line comes before what the child prints next (it once came after, inside curl's message).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void errLineReachesStdoutBeforeTheChildSeesTheEnd(boolean tls) throws Exception {
        try (TestHttpServer server = tls ? https() : TestHttpServer.http()) {
            String url = server.url(ALIAS, "/close-before-response");
            for (int run = 0; run < 3; run++) {
                Jtap.Result result = Jtap.run(List.of("--upstream-ca", caFile.toString(), "--", "sh", "-c",
                        "curl -s " + quote(url) + "; echo after"), Map.of(), null, PlaneSupport.TIMEOUT);
                assertThat(result.stdout()).as(result.toString()).isEqualTo("---> GET " + url + "\n<--- ERR " + url
                        + " (connection closed before response)\nafter\n");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void upstreamStallEndsWithTheChildsTimeout(boolean tls) throws Exception {
        try (TestHttpServer server = tls ? https() : TestHttpServer.http()) {
            Compared c = curlBoth(server, "/stall", "--max-time", "2");
            assertThat(c.direct()).isEqualTo(28);
            // jtap exits as soon as the child does: PlaneSupport's timeout would fail the test otherwise.
            assertThat(c.tapped().exitCode()).as(c.tapped().toString()).isEqualTo(28);
        }
    }

    @Test
    void childAbortingMidResponseDoesNotStopJtap() throws Exception {
        try (TestHttpServer server = https()) {
            String big = quote(server.url(ALIAS, "/bytes/50000000"));
            String text = quote(server.url(ALIAS, "/text"));
            Jtap.Result result = sh(List.of("--upstream-ca", caFile.toString()),
                    "curl -sS " + big + " | head -c 1000 | wc -c\n"
                            + "curl -sS --max-filesize 1000 -o /dev/null " + big + "; echo \"max-filesize exit $?\"\n"
                            + "curl -sS --limit-rate 100k -o /dev/null --max-time 1 " + big + "; echo \"max-time exit $?\"\n"
                            + "curl -sS " + text + "\n");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).as(result.toString())
                    .isEqualTo("1000\nmax-filesize exit 63\nmax-time exit 28\n" + TestHttpServer.TEXT);
            assertThat(responseLines(result, "/text")).as(result.toString()).singleElement().asString()
                    .startsWith("<--- 200 ");
        }
    }

    // ---------------------------------------------------------------- DNS faults

    @Test
    void silentDnsUpstreamTimesOutAsDirectly() throws Exception {
        requireTools("dig");
        try (TestDnsServer dns = TestDnsServer.start().silent("quiet.test")) {
            Command.Result direct = host("dig", "+time=1", "+tries=1", "@127.0.0.1", "-p", Integer.toString(dns.port()),
                    "quiet.test", "A");
            Jtap.Result tapped = jtap(List.of("--dns", dns.dnsArg()), "dig", "+time=1", "+tries=1", "@10.1.1.1",
                    "quiet.test", "A");
            assertThat(direct.exitCode()).as(direct.toString()).isEqualTo(9);
            assertThat(tapped.exitCode()).as(tapped.toString()).isEqualTo(direct.exitCode());
            assertThat(tapped.stdout()).contains("timed out");
        }
    }

    @Test
    void servfailUpstreamIsServfail() throws Exception {
        requireTools("dig");
        try (TestDnsServer dns = TestDnsServer.start().servfail("broken.test")) {
            Jtap.Result udp = jtap(List.of("--dns", dns.dnsArg()), "dig", "+time=2", "+tries=1", "@10.1.1.1",
                    "broken.test", "A");
            assertThat(udp.stdout()).as(udp.toString()).contains("status: SERVFAIL");
            Jtap.Result tcp = jtap(List.of("--dns", dns.dnsArg()), "dig", "+tcp", "+time=2", "+tries=1", "@10.1.1.1",
                    "broken.test", "A");
            assertThat(tcp.stdout()).as(tcp.toString()).contains("status: SERVFAIL");
        }
    }

    // ---------------------------------------------------------------- half-open flood

    /**
     * 5 000 connection attempts the upstream never completes: a listener on 127.0.0.1 with backlog 1
     * that never accepts, so the host kernel drops SYNs beyond the backlog and jtap's upstream dials
     * hang (all traffic stays on loopback). While they are pending, a normal request still works.
     */
    @Test
    void fiveThousandHalfOpenConnectionsDoNotExhaustJtap(@TempDir Path dir) throws Exception {
        requireTools("python3", "curl");
        try (ServerSocket blackhole = new ServerSocket();
             TestHttpServer server = TestHttpServer.http()) {
            blackhole.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            Path script = dir.resolve("flood.py");
            Files.writeString(script, """
                    import errno, resource, socket, subprocess, sys
                    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
                    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 20000), hard))
                    port, url = int(sys.argv[1]), sys.argv[2]
                    socks, started = [], 0
                    for _ in range(5000):
                        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                        s.setblocking(False)
                        if s.connect_ex(("169.254.77.65", port)) in (errno.EINPROGRESS, 0):
                            started += 1
                        socks.append(s)
                    print("started", started, flush=True)
                    r = subprocess.run(["curl", "-sS", "--max-time", "20", url], capture_output=True, text=True)
                    print("curl", r.returncode, r.stdout, end="", flush=True)
                    for s in socks:
                        s.close()
                    """, StandardCharsets.UTF_8);
            Jtap.Result result = jtap(List.of(), Duration.ofMinutes(3), "python3", script.toString(),
                    Integer.toString(blackhole.getLocalPort()), server.url(ALIAS, "/text"));
            assertThat(result.stdout()).as(result.toString())
                    .isEqualTo("started 5000\ncurl 0 " + TestHttpServer.TEXT);
            assertThat(result.exitCode()).isZero();
        }
    }

    // ---------------------------------------------------------------- hostile packets

    /**
     * 20 000 seeded-random hostile packets written straight into jtap0 with an AF_PACKET socket
     * (random garbage, mutated/truncated IPv4/TCP/UDP/ICMP headers, bad header and total lengths,
     * fragments, SYN floods, junk DNS) reach the real PacketLoop; afterwards a normal request works,
     * jtap reports no exception and exits with the child's status. The child needs CAP_NET_RAW over
     * the namespace, so this runs as real root with {@code --no-new-user-namespace}.
     */
    @Test
    void hostilePacketsIntoTheTunDoNotDisturbThePacketLoop() throws Exception {
        requireTools("python3", "curl");
        assumeRoot();
        Path script = Jtap.REPO.resolve("src/test/resources/e2e/hostile_packets.py");
        try (TestHttpServer server = TestHttpServer.http();
             TestDnsServer dns = TestDnsServer.start().a("svc.test", "192.0.2.10")) {
            Jtap.Result result = jtap(List.of("--no-new-user-namespace", "--dns", dns.dnsArg(), "-v"),
                    Duration.ofMinutes(2), "sh", "-c",
                    "python3 " + script + " 7 20000 " + server.port() + " && curl -sS " + quote(server.url(ALIAS, "/text")));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).as(result.toString()).startsWith("sent ").endsWith(TestHttpServer.TEXT);
            assertThat(result.stderr()).as(result.toString()).doesNotContainIgnoringCase("exception")
                    .contains("dropped ");
            System.out.println("ReliabilityIT hostile packets: " + result.stdout().lines().findFirst().orElse("") + "; "
                    + result.stderr().lines().filter(l -> l.startsWith("jtap: packets in")).findFirst().orElse(""));
        }
    }

    private static void assumeRoot() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(HostState.command("id", "-u").strip().equals("0"), "needs root");
    }

    // ---------------------------------------------------------------- signals

    private static Jtap.Running startRecording(Path har, Path tmp, TestHttpServer server, boolean noExit, String tail)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--stderr", "--upstream-ca", caFile.toString(),
                "--dump-har", har.toString()));
        if (noExit) {
            args.add("--no-exit");
        }
        args.addAll(List.of("--", "sh", "-c", recordingScript(server, tail)));
        return Jtap.start(Jtap.commandLine(args), E2e.privateTmp(tmp));
    }

    private static String recordingScript(TestHttpServer server, String tail) {
        return "curl -sS -o /dev/null " + quote(server.url(ALIAS, "/text")) + "; echo up" + tail;
    }

    private static void assertOneValidHarEntry(Path har) throws IOException {
        List<Object> entries = harEntries(har);
        assertThat(entries).hasSize(1);
        Object status = JsonTree.object(JsonTree.object(entries.getFirst()).get("response")).get("status");
        assertThat(((Number) status).intValue()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void signalWhileTheChildRunsEndsItAndLeavesAValidHar(String signal, @TempDir Path dir, @TempDir Path tmp)
            throws Exception {
        HostState before = HostState.capture();
        Path har = dir.resolve("signal.har");
        String sleep = "sleep 31" + (signal.equals("INT") ? 1 : 2);
        try (TestHttpServer server = https()) {
            Jtap.Running running = startRecording(har, tmp, server, false, "; exec " + sleep);
            try {
                waitFor(() -> !processes(sleep).isEmpty() || !running.process.isAlive());
                List<Long> children = processes(sleep);
                assertThat(children).as(running.stdoutSoFar()).hasSize(1);
                running.signal(signal);
                Jtap.Result result = running.await(Duration.ofSeconds(30));
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(signal.equals("INT") ? 130 : 143);
                waitFor(() -> !alive(children.getFirst()));
            } finally {
                stop(running);
            }
            assertOneValidHarEntry(har);
        }
        assertLeftNothing(before, tmp);
    }

    @Test
    void childKilledWithSigkillGives137AndLeavesNothing(@TempDir Path dir, @TempDir Path tmp) throws Exception {
        HostState before = HostState.capture();
        Path har = dir.resolve("killed.har");
        String sleep = "sleep 313";
        try (TestHttpServer server = https()) {
            Jtap.Running running = startRecording(har, tmp, server, false, "; exec " + sleep);
            try {
                waitFor(() -> !processes(sleep).isEmpty() || !running.process.isAlive());
                List<Long> children = processes(sleep);
                assertThat(children).as(running.stdoutSoFar()).hasSize(1);
                new ProcessBuilder("kill", "-KILL", Long.toString(children.getFirst())).start().waitFor();
                Jtap.Result result = running.await(Duration.ofSeconds(30));
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(137);
            } finally {
                stop(running);
            }
            assertOneValidHarEntry(har);
        }
        assertLeftNothing(before, tmp);
    }

    @Test
    void noExitThenSigintExits130AndLeavesNothing(@TempDir Path dir, @TempDir Path tmp) throws Exception {
        HostState before = HostState.capture();
        Path har = dir.resolve("noexit.har");
        try (TestHttpServer server = https()) {
            Jtap.Running running = startRecording(har, tmp, server, true, "");
            try {
                waitFor(() -> running.stdoutSoFar().contains("up") || !running.process.isAlive());
                waitFor(() -> processes("sh -c " + recordingScript(server, "")).isEmpty());
                assertThat(running.process.isAlive()).as("--no-exit keeps jtap running").isTrue();
                running.signal("INT");
                Jtap.Result result = running.await(Duration.ofSeconds(30));
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(130);
            } finally {
                stop(running);
            }
            assertOneValidHarEntry(har);
        }
        assertLeftNothing(before, tmp);
    }

    // ---------------------------------------------------------------- helpers

    /** Links, routes and mounts as before, and nothing left in jtap's private temp root. */
    static void assertLeftNothing(HostState before, Path tmp) throws Exception {
        HostState after = HostState.capture();
        assertThat(after.links()).isEqualTo(before.links());
        assertThat(after.routes()).isEqualTo(before.routes());
        assertThat(after.routes6()).isEqualTo(before.routes6());
        assertThat(after.mounts()).isEqualTo(before.mounts());
        try (var left = Files.list(tmp)) {
            assertThat(left.map(Path::toString).toList()).as("left in jtap's temp root").isEmpty();
        }
    }

    /** Processes whose command line is exactly {@code commandLine} (read from /proc: works across user namespaces). */
    static List<Long> processes(String commandLine) {
        List<Long> pids = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String line = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                    if (line.equals(commandLine)) {
                        pids.add(Long.parseLong(d.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    static boolean alive(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    /** Ends a jtap that a failed assertion left running (and the child it started). */
    static void stop(Jtap.Running running) {
        if (running.process.isAlive()) {
            running.process.descendants().forEach(ProcessHandle::destroyForcibly);
            running.process.destroyForcibly();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        waitFor(condition, Duration.ofSeconds(30));
    }

    static void waitFor(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + limit);
            }
            Thread.sleep(50);
        }
    }
}
