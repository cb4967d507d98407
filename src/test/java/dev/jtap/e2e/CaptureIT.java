package dev.jtap.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.e2e.support.Command;
import dev.jtap.e2e.support.RecordedRequest;
import dev.jtap.e2e.support.TestCa;
import dev.jtap.e2e.support.TestDnsServer;
import dev.jtap.e2e.support.TestHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture flags end to end: --dump-har, --dump-jsonl, --print-dns, --dump-pcap, checked by outside tools. */
class CaptureIT {
    static final String HOST = "host.jtap.local";

    static TestCa ca;
    static TestHttpServer http;
    static TestHttpServer https;
    static TestDnsServer dns;
    static Path caPem;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        ca = TestCa.create("capture-it");
        http = TestHttpServer.http();
        https = TestHttpServer.https(ca, HOST, "api.capture.test", "127.0.0.1");
        dns = TestDnsServer.start()
                .a("api.capture.test", "169.254.77.65")
                .aaaa("v6.capture.test", "fd00:1a7a::77:65")
                .txt("txt.capture.test", "hello txt")
                .mx("capture.test", 10, "mail.capture.test");
        caPem = ca.writePem(Files.createTempFile("capture-it-ca", ".pem"));
    }

    @AfterAll
    static void stopServers() throws Exception {
        E2e.closeAll(http, https, dns);
        if (caPem != null) {
            Files.deleteIfExists(caPem);
        }
    }

    @BeforeEach
    void clear() {
        http.clearRecords();
        https.clearRecords();
        dns.clearQueries();
    }

    static List<String> jtap(List<String> flags, String... command) {
        List<String> args = new ArrayList<>(List.of("--upstream-ca", caPem.toString(), "--dns", dns.dnsArg()));
        args.addAll(flags);
        args.add("--");
        args.addAll(List.of(command));
        return args;
    }

    static Jtap.Result run(List<String> flags, String... command) throws Exception {
        return Jtap.run(jtap(flags, command), Map.of(), null, Jtap.DEFAULT_TIMEOUT);
    }

    static String curl(String url) {
        return "curl -sS -o /dev/null '" + url + "'";
    }

    // ---- HAR ----

    @Test
    void harFromPlainHttpValidatesAndRoundTrips() throws Exception {
        Path har = dir.resolve("plain.har");
        Jtap.Result result = run(List.of("--dump-har", har.toString()), "sh", "-c", curl(http.url(HOST, "/text")));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        E2e.assertValidHar(har);
        List<E2e.HarEntry> entries = E2e.harEntries(har);
        assertThat(entries).hasSize(1);
        assertRoundTrip(entries, http.requests(), http, HOST);
        assertThat(new String(entries.getFirst().body(), StandardCharsets.UTF_8)).isEqualTo(TestHttpServer.TEXT);
    }

    @Test
    void harFromHttpsValidatesAndRoundTrips() throws Exception {
        Path har = dir.resolve("https.har");
        Jtap.Result result = run(List.of("--dump-har", har.toString()), "sh", "-c",
                curl(https.url(HOST, "/bytes/3000")) + " && " + curl(https.url(HOST, "/gzip")));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        E2e.assertValidHar(har);
        List<E2e.HarEntry> entries = E2e.harEntries(har);
        assertThat(entries).hasSize(2);
        assertRoundTrip(entries, https.requests(), https, HOST);
        assertThat(entries.getFirst().bodySha256()).isEqualTo(TestHttpServer.sha256(3000));
        assertThat(new String(entries.get(1).body(), StandardCharsets.UTF_8)).isEqualTo(TestHttpServer.COMPRESSED_JSON);
    }

    @Test
    void harFromKeepAliveConnectionHasEveryExchange() throws Exception {
        Path har = dir.resolve("keepalive.har");
        Jtap.Result result = run(List.of("--dump-har", har.toString()), "curl", "-sS",
                "-o", "/dev/null", http.url(HOST, "/text"),
                "-o", "/dev/null", http.url(HOST, "/bytes/100"),
                "-o", "/dev/null", http.url(HOST, "/status/404"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(http.connectionCount()).isEqualTo(1);
        E2e.assertValidHar(har);
        List<E2e.HarEntry> entries = E2e.harEntries(har);
        assertThat(entries).extracting(E2e.HarEntry::status).containsExactly(200, 200, 404);
        assertRoundTrip(entries, http.requests(), http, HOST);
        Command.Result connections = Command.run(E2e.TOOL_TIMEOUT, "jq", "-r", "[.log.entries[].connection] | unique | length",
                har.toString());
        assertThat(connections.out().strip()).isEqualTo("1");
    }

    @Test
    void harWithBinaryBodiesBothWaysRoundTrips() throws Exception {
        Path har = dir.resolve("binary.har");
        byte[] upload = new byte[20_000];
        new Random(42).nextBytes(upload);
        Path uploadFile = Files.write(dir.resolve("upload.bin"), upload);
        uploadFile.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        Jtap.Result result = run(List.of("--dump-har", har.toString()), "sh", "-c",
                curl(http.url(HOST, "/bytes/70000")) + " && curl -sS -o /dev/null -H 'Content-Type: application/octet-stream'"
                        + " --data-binary @" + uploadFile + " " + http.url(HOST, "/echo"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        E2e.assertValidHar(har);
        List<E2e.HarEntry> entries = E2e.harEntries(har);
        assertThat(entries).hasSize(2);
        assertRoundTrip(entries, http.requests(), http, HOST);
        assertThat(entries.getFirst().bodySha256()).isEqualTo(TestHttpServer.sha256(70000));
        RecordedRequest echo = http.requests().get(1);
        assertThat(E2e.sha256(entries.get(1).requestBody())).isEqualTo(echo.bodySha256()).isEqualTo(E2e.sha256(upload));
        assertThat(entries.get(1).bodySha256()).isEqualTo(E2e.sha256(upload));
    }

    @Test
    void harWithBodyOverMaxBodyIsMarkedTruncated() throws Exception {
        Path har = dir.resolve("maxbody.har");
        Jtap.Result result = run(List.of("--dump-har", har.toString(), "--max-body", "1000"), "sh", "-c",
                curl(http.url(HOST, "/bytes/50000")));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("<--- 200 " + http.url(HOST, "/bytes/50000") + " (50000 bytes)");
        E2e.assertValidHar(har);
        E2e.HarEntry entry = E2e.harEntries(har).getFirst();
        assertThat(entry.truncated()).isTrue();
        assertThat(entry.bodySize()).isEqualTo(50000);
        assertThat(entry.body()).isEqualTo(java.util.Arrays.copyOf(TestHttpServer.expectedBytes(50000), 1000));
    }

    @Test
    void harWithFailedExchangeValidates() throws Exception {
        Path har = dir.resolve("failed.har");
        Jtap.Result result = run(List.of("--dump-har", har.toString()), "sh", "-c",
                curl(http.url(HOST, "/close-before-response")) + "; echo curl=$?");
        assertThat(result.stdout()).as(result.toString()).contains("curl=52").contains("<--- ERR");
        E2e.assertValidHar(har);
        List<E2e.HarEntry> entries = E2e.harEntries(har);
        assertThat(entries).hasSize(1);
        assertThat(entries.getFirst().error()).isNotBlank();
        assertThat(entries.getFirst().url()).isEqualTo(http.url(HOST, "/close-before-response"));
    }

    @Test
    void harFromRedirectChainHasEveryHop() throws Exception {
        Path har = dir.resolve("redirect.har");
        Jtap.Result result = run(List.of("--dump-har", har.toString()), "sh", "-c",
                "curl -sS -L -o /dev/null " + https.url(HOST, "/redirect/3"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        E2e.assertValidHar(har);
        List<E2e.HarEntry> entries = E2e.harEntries(har);
        assertThat(entries).extracting(E2e.HarEntry::url).containsExactly(https.url(HOST, "/redirect/3"),
                https.url(HOST, "/redirect/2"), https.url(HOST, "/redirect/1"), https.url(HOST, "/text"));
        assertThat(entries).extracting(E2e.HarEntry::status).containsExactly(302, 302, 302, 200);
        assertRoundTrip(entries, https.requests(), https, HOST);
        Command.Result redirects = Command.run(E2e.TOOL_TIMEOUT, "jq", "-r", ".log.entries[].response.redirectURL",
                har.toString());
        assertThat(redirects.out().lines()).containsExactly("/redirect/2", "/redirect/1", "/text", "");
    }

    @Test
    void harSurvivesKillDashNine() throws Exception {
        Path har = dir.resolve("killed.har");
        String a = http.url(HOST, "/text");
        String b = https.url(HOST, "/bytes/1234");
        // A killed jtap cannot remove its temp dir: give it one inside this test's, which JUnit removes.
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Jtap.Running running = Jtap.start(Jtap.commandLine(jtap(List.of("--dump-har", har.toString()), "sh", "-c",
                curl(a) + "; " + curl(b) + "; exec sleep 30")), E2e.privateTmp(tmp));
        List<ProcessHandle> leftovers = List.of();
        try {
            E2e.waitFor(() -> running.stdoutSoFar().contains("<--- 200 " + b), running::stdoutSoFar);
            leftovers = running.process.descendants().toList();
            running.signal("KILL");
            Jtap.Result result = running.await(Duration.ofSeconds(30));
            assertThat(result.exitCode()).isEqualTo(137);
        } finally {
            E2e.stop(running);
            E2e.killLeftovers(leftovers);
        }
        E2e.assertValidHar(har);
        List<E2e.HarEntry> entries = E2e.harEntries(har);
        assertThat(entries).extracting(E2e.HarEntry::url).containsExactly(a, b);
        assertThat(entries.get(1).bodySha256()).isEqualTo(TestHttpServer.sha256(1234));
    }

    @Test
    void harSurvivesSigintWithExitCode130() throws Exception {
        Path har = dir.resolve("interrupted.har");
        String a = http.url(HOST, "/text");
        Jtap.Running running = E2e.start(jtap(List.of("--dump-har", har.toString()), "sh", "-c",
                curl(a) + "; exec sleep 30"));
        try {
            E2e.waitFor(() -> running.stdoutSoFar().contains("<--- 200 " + a), running::stdoutSoFar);
            running.signal("INT");
            Jtap.Result result = running.await(Duration.ofSeconds(30));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(130);
        } finally {
            E2e.stop(running);
        }
        E2e.assertValidHar(har);
        assertThat(E2e.harEntries(har)).extracting(E2e.HarEntry::url).containsExactly(a);
    }

    // ---- JSON lines ----

    /**
     * Fails until cli/Captures stops mixing the console's lines into the JSON lines when the JSON lines
     * go to stdout ({@code --dump-jsonl -}): jq then stops at the first "---> GET" line.
     */
    @Test
    void jsonlOnStdoutIsParsedLineByLineByJq() throws Exception {
        String url = https.url("api.capture.test", "/text");
        Jtap.Result result = run(List.of("--dump-jsonl", "-"), "curl", "-sS", "-o", "/dev/null", url);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Path out = Files.writeString(dir.resolve("stdout.jsonl"), result.stdout());
        Command.Result jq = Command.run(E2e.TOOL_TIMEOUT, "jq", "-c", "[.type, .name // .url // .dst]", out.toString());
        assertThat(jq.exitCode()).as("jq over jtap's stdout:\n" + result.stdout() + "\n" + jq.stderr()).isZero();
        assertThat(result.stdout().lines()).allSatisfy(line -> assertThat(line).startsWith("{\"type\":"));
        assertThat(jq.out().lines()).contains("[\"exchange\",\"" + url + "\"]", "[\"dns\",\"api.capture.test.\"]");
    }

    /** With --stderr the console moves off stdout, which then holds only JSON lines (passes today). */
    @Test
    void jsonlOnStdoutWithConsoleOnStderr() throws Exception {
        String url = https.url("api.capture.test", "/text");
        Jtap.Result result = run(List.of("--dump-jsonl", "-", "--stderr"), "curl", "-sS", "-o", "/dev/null", url);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).contains("<--- 200 " + url);
        Path out = Files.writeString(dir.resolve("stdout.jsonl"), result.stdout());
        Command.Result jq = Command.run(E2e.TOOL_TIMEOUT, "jq", "-c", "[.type, .name // .url // .dst]", out.toString());
        assertThat(jq.exitCode()).as("jq over jtap's stdout:\n" + result.stdout() + "\n" + jq.stderr()).isZero();
        assertThat(jq.out().lines()).contains("[\"exchange\",\"" + url + "\"]", "[\"dns\",\"api.capture.test.\"]");
    }

    @Test
    void jsonlFileHasExchangeDnsAndFlowLines() throws Exception {
        Path jsonl = dir.resolve("all.jsonl");
        String url = http.url("api.capture.test", "/bytes/10");
        Jtap.Result result = run(List.of("--dump-jsonl", jsonl.toString()), "curl", "-sS", "-o", "/dev/null", url);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Command.Result jq = Command.run(E2e.TOOL_TIMEOUT, "jq", "-r",
                "if .type == \"exchange\" then \"exchange \\(.method) \\(.url) \\(.status) \\(.responseBodySize)\""
                        + " elif .type == \"dns\" then \"dns \\(.name) \\(.queryType) \\(.rcode) \\(.answers|join(\",\"))\""
                        + " else \"\\(.type) \\(.outcome)\" end",
                jsonl.toString());
        assertThat(jq.exitCode()).as(E2e.contents(jsonl) + jq.stderr()).isZero();
        assertThat(jq.out().lines()).contains("exchange GET " + url + " 200 10",
                "dns api.capture.test. A NOERROR 169.254.77.65", "flow closed");
        assertThat(Files.readAllLines(jsonl)).allSatisfy(line -> assertThat(line).startsWith("{\"type\":"));
    }

    // ---- DNS ----

    @Test
    void printDnsShowsQuestionsAndAnswers() throws Exception {
        Jtap.Result result = run(List.of("--print-dns"), "sh", "-c",
                "dig +short @10.1.1.1 api.capture.test A; dig +short @10.1.1.1 v6.capture.test AAAA;"
                        + " dig +short @10.1.1.1 txt.capture.test TXT; dig +short @10.1.1.1 capture.test MX;"
                        + " dig @10.1.1.1 nowhere.capture.test A | grep -o NXDOMAIN");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString())
                .contains("---> DNS api.capture.test. (A)\n")
                .contains("<--- DNS api.capture.test. (A) 169.254.77.65\n")
                .contains("---> DNS v6.capture.test. (AAAA)\n")
                .contains("<--- DNS v6.capture.test. (AAAA) fd00:1a7a::77:65\n")
                .contains("---> DNS txt.capture.test. (TXT)\n")
                .containsPattern("<--- DNS txt.capture.test. \\(TXT\\) \"?hello txt\"?\n")
                .contains("---> DNS capture.test. (MX)\n")
                .contains("<--- DNS capture.test. (MX) 10 mail.capture.test.\n")
                .contains("---> DNS nowhere.capture.test. (A)\n")
                .containsPattern("<--- DNS nowhere.capture.test. \\(A\\) .*NXDOMAIN");
        // dig itself got the same answers
        assertThat(result.stdout().lines()).contains("169.254.77.65", "fd00:1a7a::77:65", "\"hello txt\"",
                "10 mail.capture.test.", "NXDOMAIN");
        assertThat(result.stdout().indexOf("---> DNS api.capture.test. (A)"))
                .isLessThan(result.stdout().indexOf("<--- DNS api.capture.test. (A)"));
    }

    // ---- pcap ----

    @Test
    void pcapIsReadByTshark() throws Exception {
        Path pcap = dir.resolve("run.pcap");
        Jtap.Result result = run(List.of("--dump-pcap", pcap.toString()), "curl", "-4", "-sS", "-o", "/dev/null",
                http.url(HOST, "/text?pcap=1"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertTsharkSeesRequest(pcap, "GET /text?pcap=1 HTTP/1.1");
    }

    /** Needs the request on TCP stream 0: curl -4, so no refused IPv6 attempt comes first. */
    private static void assertTsharkSeesRequest(Path pcap, String requestLine) {
        Command.Result packets = Command.run(E2e.TOOL_TIMEOUT, "tshark", "-n", "-r", pcap.toString());
        assertThat(packets.exitCode()).as(packets.toString()).isZero();
        assertThat(packets.out().lines().count()).as(packets.out()).isGreaterThan(0);
        Command.Result follow = Command.run(E2e.TOOL_TIMEOUT, "tshark", "-n", "-r", pcap.toString(), "-q", "-z",
                "follow,tcp,ascii,0");
        assertThat(follow.exitCode()).as(follow.toString()).isZero();
        assertThat(follow.out()).as(packets.out()).contains(requestLine).contains("Host: " + HOST);
    }

    // ---- everything at once ----

    @Test
    void allCaptureFlagsTogether() throws Exception {
        Path har = dir.resolve("together.har");
        Path jsonl = dir.resolve("together.jsonl");
        Path pcap = dir.resolve("together.pcap");
        String first = http.url(HOST, "/text?together=1");
        String second = https.url("api.capture.test", "/bytes/2048");
        Jtap.Result result = run(List.of("--dump-har", har.toString(), "--dump-jsonl", jsonl.toString(), "--dump-pcap",
                pcap.toString(), "--print-dns"), "sh", "-c", curl(first).replace("curl", "curl -4") + " && " + curl(second));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("---> GET " + first, "<--- 200 " + first, "---> GET " + second,
                "<--- 200 " + second + " (2048 bytes)", "<--- DNS api.capture.test. (A) 169.254.77.65");
        E2e.assertValidHar(har);
        assertThat(E2e.harEntries(har)).extracting(E2e.HarEntry::url).containsExactly(first, second);
        Command.Result jq = Command.run(E2e.TOOL_TIMEOUT, "jq", "-r", "select(.type==\"exchange\") | .url", jsonl.toString());
        assertThat(jq.exitCode()).isZero();
        assertThat(jq.out().lines()).containsExactly(first, second);
        Command.Result types = Command.run(E2e.TOOL_TIMEOUT, "jq", "-r", ".type", jsonl.toString());
        assertThat(types.out().lines()).contains("exchange", "dns", "flow");
        assertTsharkSeesRequest(pcap, "GET /text?together=1 HTTP/1.1");
    }

    /** Every HAR entry matches, in order, a request the server recorded; bodies that the server knows match. */
    static void assertRoundTrip(List<E2e.HarEntry> entries, List<RecordedRequest> recorded, TestHttpServer server,
            String host) {
        assertThat(entries).hasSameSizeAs(recorded);
        for (int i = 0; i < entries.size(); i++) {
            E2e.HarEntry entry = entries.get(i);
            RecordedRequest request = recorded.get(i);
            assertThat(entry.method()).isEqualTo(request.method());
            assertThat(entry.url()).isEqualTo(server.url(host, request.uri()));
            assertThat(E2e.sha256(entry.requestBody())).isEqualTo(request.bodySha256());
            if (request.path().startsWith("/bytes/")) {
                long n = Long.parseLong(request.path().substring("/bytes/".length()));
                assertThat(entry.bodySha256()).isEqualTo(TestHttpServer.sha256(n));
            } else if (request.path().equals("/text")) {
                assertThat(new String(entry.body(), StandardCharsets.UTF_8)).isEqualTo(TestHttpServer.TEXT);
            }
        }
    }
}
