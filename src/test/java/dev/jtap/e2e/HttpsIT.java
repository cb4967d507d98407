package dev.jtap.e2e;

import dev.jtap.e2e.support.Command;
import dev.jtap.e2e.support.TestCa;
import dev.jtap.e2e.support.TestDnsServer;
import dev.jtap.e2e.support.TestHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * HTTPS as a user sees it: common clients, with no extra flags, make requests inside jtap; jtap
 * decrypts them with its own CA (trusted only by the child) and prints httptap's two lines.
 */
class HttpsIT {
    static final String HOST = "host.jtap.local";
    static final String NAME = "api.test";
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    static TestCa ca;
    static Path dir;
    static Path caPem;
    static TestDnsServer dns;
    static TestHttpServer https;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCa.create("jtap https-it upstream CA");
        dir = Files.createTempDirectory("jtap-https-it");
        caPem = ca.writePem(dir.resolve("test-ca.pem"));
        dns = TestDnsServer.start().a(NAME, "169.254.77.65");
        https = TestHttpServer.https(ca, HOST, NAME, "localhost", "127.0.0.1");
    }

    @AfterAll
    static void stop() throws Exception {
        E2e.closeAll(https, dns);
        E2e.deleteTree(dir);
    }

    /** Runs {@code jtap --upstream-ca test-ca.pem --dns ... [flags] -- command}. */
    static Jtap.Result jtap(List<String> flags, String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("--upstream-ca", caPem.toString()));
        all.addAll(flags);
        return jtapWithout(all, command);
    }

    /** Runs {@code jtap --stderr --dns ... flags -- command}: jtap's lines on stderr, the child's stdout apart. */
    static Jtap.Result jtapWithout(List<String> flags, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("--stderr", "--dns", dns.dnsArg()));
        args.addAll(flags);
        args.add("--");
        args.addAll(Arrays.asList(command));
        return Jtap.run(args, Map.of(), null, Duration.ofSeconds(120));
    }

    static Jtap.Result jtap(String... command) throws Exception {
        return jtap(List.of(), command);
    }

    /** The two lines jtap prints for one successful exchange. */
    static String exchange(String method, String url, int status, long bytes) {
        return "---> " + method + " " + url + "\n<--- " + status + " " + url + " (" + bytes + " bytes)\n";
    }

    /** A client run directly on the host, trusting the test CA explicitly, with HOST pointing at 127.0.0.1. */
    static Command.Result direct(String... command) {
        return Command.run(CLIENT_TIMEOUT, command);
    }

    /** Both runs succeeded with the same output, and jtap showed the one GET of /text at {@code url}. */
    static void assertSameAsOutside(String url, Jtap.Result result, Command.Result outside) {
        assertThat(outside.exitCode()).as(outside.toString()).isZero();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, TEXT_BYTES));
        assertThat(result.stdout()).isEqualTo(outside.out()).isEqualTo(TestHttpServer.TEXT);
    }

    static String resolve(TestHttpServer server) {
        return HOST + ":" + server.port() + ":127.0.0.1";
    }

    @Test
    void curlHttpsIsDecryptedWithNoFlags() throws Exception {
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("curl", "-sS", url);
        Command.Result outside = direct("curl", "-sS", "--cacert", caPem.toString(), "--resolve", resolve(https), url);
        assertSameAsOutside(url, result, outside);
    }

    @Test
    void curlPlainHttpIsShown() throws Exception {
        try (TestHttpServer http = TestHttpServer.http()) {
            String url = http.url(HOST, "/text");
            Jtap.Result result = jtap("curl", "-sS", url);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, TEXT_BYTES));
            assertThat(result.stdout()).isEqualTo(TestHttpServer.TEXT);
        }
    }

    /**
     * On a shared stdout (the default, no --stderr), jtap's lines for a response reach it before the
     * child can print that response: jtap prints before it forwards the bytes.
     */
    @Test
    void linesPrecedeTheChildsOutputOnOneStdout() throws Exception {
        String url = https.url(HOST, "/text");
        for (int run = 0; run < 5; run++) {
            Jtap.Result result = Jtap.run(List.of("--dns", dns.dnsArg(), "--upstream-ca", caPem.toString(), "--",
                    "curl", "-sS", url, url), Map.of(), null, Duration.ofSeconds(120));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            String oneExchange = exchange("GET", url, 200, TEXT_BYTES) + TestHttpServer.TEXT;
            assertThat(result.stdout()).as(result.toString()).isEqualTo(oneExchange + oneExchange);
        }
    }

    @Test
    void namesFromDnsWork() throws Exception {
        String url = https.url(NAME, "/text");
        Jtap.Result result = jtap("curl", "-sS", url);
        assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, TEXT_BYTES));
        assertThat(result.stdout()).isEqualTo(TestHttpServer.TEXT);
    }

    @Test
    void wget() throws Exception {
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("wget", "-q", "-O", "-", url);
        Command.Result outside = direct("wget", "-q", "-O", "-", "--ca-certificate=" + caPem, https.url("/text"));
        assertSameAsOutside(url, result, outside);
    }

    static final String URLLIB = "import sys, urllib.request\n"
            + "sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())\n";
    static final String REQUESTS = "import sys, requests\n"
            + "r = requests.get(sys.argv[1]); sys.stdout.write(r.text)\n";

    @Test
    void pythonUrllib() throws Exception {
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("python3", "-c", URLLIB, url);
        Command.Result outside = direct("env", "SSL_CERT_FILE=" + caPem, "python3", "-c", URLLIB, https.url("/text"));
        assertSameAsOutside(url, result, outside);
    }

    @Test
    void pythonRequests() throws Exception {
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("python3", "-c", REQUESTS, url);
        Command.Result outside = direct("env", "REQUESTS_CA_BUNDLE=" + caPem, "python3", "-c", REQUESTS, https.url("/text"));
        assertSameAsOutside(url, result, outside);
    }

    static final String NODE_HTTPS = "require('https').get(process.argv[1], r => r.pipe(process.stdout))"
            + ".on('error', e => { console.error(e.message); process.exit(1); });";
    static final String NODE_FETCH = "fetch(process.argv[1]).then(r => r.text()).then(t => process.stdout.write(t))"
            + ".catch(e => { console.error(e.cause || e); process.exit(1); });";

    @Test
    void nodeHttpsModule() throws Exception {
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("node", "-e", NODE_HTTPS, url);
        Command.Result outside = direct("env", "NODE_EXTRA_CA_CERTS=" + caPem, "node", "-e", NODE_HTTPS, https.url("/text"));
        assertSameAsOutside(url, result, outside);
    }

    @Test
    void nodeFetch() throws Exception {
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("node", "-e", NODE_FETCH, url);
        Command.Result outside = direct("env", "NODE_EXTRA_CA_CERTS=" + caPem, "node", "-e", NODE_FETCH, https.url("/text"));
        assertSameAsOutside(url, result, outside);
    }

    static final String JAVA_GET = """
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;

            public class Get {
                public static void main(String[] args) throws Exception {
                    HttpClient client = HttpClient.newHttpClient();
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(args[0])).build(),
                            HttpResponse.BodyHandlers.ofString());
                    System.out.print(response.body());
                }
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {JAVA, JAVA_17})
    void javaHttpClient(String java) throws Exception {
        assumeThat(Files.isExecutable(Path.of(java))).as(java).isTrue();
        Path source = Files.writeString(dir.resolve("Get.java"), JAVA_GET);
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap(java, source.toString(), url);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, TEXT_BYTES));
        assertThat(result.stdout()).isEqualTo(TestHttpServer.TEXT);
    }

    @Test
    void keepAliveConnectionCarriesBothExchangesInOrder() throws Exception {
        try (TestHttpServer server = TestHttpServer.https(ca, HOST)) {
            String first = server.url(HOST, "/text");
            String second = server.url(HOST, "/bytes/1000");
            Jtap.Result result = jtap("curl", "-sS", first, "-o", "/dev/null", second, "-o", "/dev/null");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stderr()).as(result.toString())
                    .isEqualTo(exchange("GET", first, 200, TEXT_BYTES) + exchange("GET", second, 200, 1000));
            assertThat(server.connectionCount()).isEqualTo(1);
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void headShowsRequestAndResponseHeaders() throws Exception {
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap(List.of("--head"), "curl", "-sS", "-H", "X-Probe: one", url);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr().lines()).as(result.toString())
                .startsWith("---> GET " + url)
                .contains("> Host: " + HOST + ":" + https.port(), "> X-Probe: one", "> User-Agent: curl/" + curlVersion(),
                        "<--- 200 " + url + " (" + TEXT_BYTES + " bytes)",
                        "< content-type: text/plain; charset=utf-8", "< content-length: " + TEXT_BYTES);
        assertThat(result.stdout()).isEqualTo(TestHttpServer.TEXT);
    }

    @Test
    void bodyShowsDecodedBodies() throws Exception {
        for (String encoding : List.of("gzip", "zstd", "deflate")) {
            String url = https.url(HOST, "/" + encoding);
            Jtap.Result result = jtap(List.of("--body"), "curl", "-sS", "-o", "/dev/null", url);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stderr()).as(encoding + ": " + result)
                    .startsWith("---> GET " + url + "\n<--- 200 " + url + " (")
                    .contains(TestHttpServer.COMPRESSED_JSON.strip());
        }
    }

    @Test
    void untrustedUpstreamFailsAsWithoutJtapAndIsExplained() throws Exception {
        String url = https.url(HOST, "/text");
        Command.Result outside = direct("curl", "-sS", "--resolve", resolve(https), url);
        assertThat(outside.exitCode()).as(outside.toString()).isEqualTo(60);
        Jtap.Result result = jtapWithout(List.of(), "curl", "-sS", url);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(60);
        assertThat(result.stdout()).isEmpty();
        String endpoint = HOST + ":" + https.port();
        assertThat(result.stderr().lines()).as(result.toString())
                .anyMatch(line -> line.matches("✗ TLS " + Pattern.quote(endpoint)
                        + ": upstream certificate rejected: .+ \\(--insecure accepts it\\)"))
                .noneMatch(line -> line.startsWith("--->") || line.startsWith("<---"));
        assertThat(result.stderr()).contains("curl: (60)");
    }

    @Test
    void insecureAcceptsAnUntrustedUpstream() throws Exception {
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtapWithout(List.of("--insecure"), "curl", "-sS", url);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, TEXT_BYTES));
        assertThat(result.stdout()).isEqualTo(TestHttpServer.TEXT);
    }

    @Test
    void clientWithItsOwnCaListIsExplainedThenRelayedOpaque() throws Exception {
        try (TestHttpServer server = TestHttpServer.https(ca, HOST)) {
            String url = server.url(HOST, "/text");
            String curl = "curl -s --cacert " + caPem + " " + url;
            Jtap.Result result = jtap("sh", "-c", curl + "; echo \"first=$?\"; " + curl + "; echo \"second=$?\"");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).as(result.toString()).isEqualTo("first=60\n" + TestHttpServer.TEXT + "second=0\n");
            String endpoint = HOST + ":" + server.port();
            List<String> jtapLines = result.stderr().lines().toList();
            assertThat(jtapLines).as(result.toString()).hasSize(1);
            assertThat(jtapLines.getFirst()).startsWith("✗ TLS " + endpoint + ": the client rejected jtap's certificate (alert unknown_ca)")
                    .contains("relayed without decryption");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void oneGibibyteDownloadIsExactAndMemoryStaysBounded() throws Exception {
        long n = 1L << 30;
        String url = https.url(HOST, "/bytes/" + n);
        List<String> args = new ArrayList<>(List.of("--stderr", "--upstream-ca", caPem.toString(), "--dns", dns.dnsArg(),
                "--", "sh", "-c", "curl -sS " + url + " | sha256sum; sleep 1"));
        Jtap.Running running = Jtap.start(Jtap.commandLine(args), Map.of());
        Path status = Path.of("/proc", Long.toString(running.process.pid()), "status");
        long peakKb = 0;
        while (running.process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended between isAlive and the read
            }
            Thread.sleep(100);
        }
        Jtap.Result result = running.await(Duration.ofSeconds(30));
        System.out.println("jtap peak RSS (VmHWM) during a 1 GiB HTTPS download: " + peakKb + " KiB");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo(TestHttpServer.sha256(n) + "  -\n");
        assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, n));
        assertThat(peakKb).as("jtap's peak RSS in KiB").isPositive().isLessThan(300 * 1024);
    }

    @Test
    void http2IsKeptAndShown() throws Exception {
        try (TestHttpServer h2 = TestHttpServer.https2(ca, HOST)) {
            String url = h2.url(HOST, "/text");
            List<String> curl = List.of("curl", "-sS", "--http2", "-o", "/dev/null", "-w", "%{http_version}", url);
            Command.Result outside = direct(Stream.concat(curl.stream(),
                    Stream.of("--cacert", caPem.toString(), "--resolve", resolve(h2))).toArray(String[]::new));
            assertThat(outside.out()).as(outside.toString()).isEqualTo("2");
            h2.clearRecords();
            Jtap.Result result = jtap(curl.toArray(String[]::new));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo("2");
            assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, TEXT_BYTES));
            assertThat(h2.requests()).singleElement().extracting(r -> r.protocol()).isEqualTo("HTTP/2");
        }
    }

    @Test
    void javaHttpClientSpeaksHttp2ThroughJtap() throws Exception {
        try (TestHttpServer h2 = TestHttpServer.https2(ca, HOST)) {
            Path source = Files.writeString(dir.resolve("Get.java"), JAVA_GET);
            String url = h2.url(HOST, "/text");
            Jtap.Result result = jtap(JAVA, source.toString(), url);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, TEXT_BYTES));
            assertThat(result.stdout()).isEqualTo(TestHttpServer.TEXT);
            assertThat(h2.requests()).singleElement().extracting(r -> r.protocol()).isEqualTo("HTTP/2");
        }
    }

    @Test
    void upstreamNameMismatchIsExplained() throws Exception {
        try (TestHttpServer other = TestHttpServer.https(ca, "localhost")) {
            String url = other.url(NAME, "/text");
            Command.Result outside = direct("curl", "-sS", "--cacert", caPem.toString(),
                    "--resolve", NAME + ":" + other.port() + ":127.0.0.1", url);
            Jtap.Result result = jtap("curl", "-sS", url);
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(outside.exitCode()).isEqualTo(60);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderr().lines()).as(result.toString())
                    .contains("✗ TLS " + NAME + ":" + other.port() + ": upstream certificate rejected: hostname mismatch: "
                            + NAME + " not in certificate (--insecure accepts it)");
        }
    }

    @Test
    void postedBodyArrivesIntactAndIsCounted() throws Exception {
        int n = 5 * 1024 * 1024 + 7;
        Path upload = Files.write(dir.resolve("upload.bin"), TestHttpServer.expectedBytes(n));
        String url = https.url(HOST, "/echo");
        Jtap.Result result = jtap("sh", "-c", "curl -sS --data-binary @" + upload + " " + url + " | sha256sum");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo(TestHttpServer.sha256(n) + "  -\n");
        assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("POST", url, 200, n));
    }

    @Test
    void bodyShowsTextAndSummarisesBinary() throws Exception {
        String text = https.url(HOST, "/text");
        String bytes = https.url(HOST, "/bytes/5000");
        Jtap.Result result = jtap(List.of("--body"), "curl", "-sS", text, "-o", "/dev/null", bytes, "-o", "/dev/null");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).as(result.toString()).isEqualTo(
                "---> GET " + text + "\n<--- 200 " + text + " (" + TEXT_BYTES + " bytes)\n" + TestHttpServer.TEXT
                + "---> GET " + bytes + "\n<--- 200 " + bytes + " (5000 bytes)\n[binary body: application/octet-stream, "
                + "4.9 KB]\n");
    }

    @Test
    void http2KeepsOneConnectionForSeveralRequests() throws Exception {
        try (TestHttpServer h2 = TestHttpServer.https2(ca, HOST)) {
            String first = h2.url(HOST, "/text");
            String second = h2.url(HOST, "/bytes/70000");
            Jtap.Result result = jtap("curl", "-sS", "--http2", first, "-o", "/dev/null", second, "-o", "/dev/null");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stderr()).as(result.toString())
                    .isEqualTo(exchange("GET", first, 200, TEXT_BYTES) + exchange("GET", second, 200, 70000));
            assertThat(h2.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void parallelTransfersAreAllShown() throws Exception {
        try (TestHttpServer h2 = TestHttpServer.https2(ca, HOST)) {
            List<String> args = new ArrayList<>(List.of("curl", "-sS", "--parallel"));
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                String url = h2.url(HOST, "/bytes/" + (i * 10000));
                args.addAll(List.of(url, "-o", "/dev/null"));
                expected.add("---> GET " + url);
                expected.add("<--- 200 " + url + " (" + i * 10000 + " bytes)");
            }
            List<String> outsideArgs = new ArrayList<>(args);
            outsideArgs.addAll(List.of("--cacert", caPem.toString(), "--resolve", resolve(h2)));
            Command.Result outside = direct(outsideArgs.toArray(String[]::new));
            assertThat(outside.exitCode()).as(outside.toString()).isZero();
            int connectionsOutside = h2.connectionCount();
            h2.clearRecords();
            // curl draws its parallel progress meter even with -s: keep its stderr out of jtap's
            Jtap.Result result = jtap("sh", "-c", String.join(" ", args) + " 2>/dev/null");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stderr().lines()).as(result.toString()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(h2.connectionCount()).isEqualTo(connectionsOutside);
        }
    }

    @Test
    void javaSeesAnUntrustedUpstreamAsUntrusted() throws Exception {
        Path source = Files.writeString(dir.resolve("Get.java"), JAVA_GET);
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtapWithout(List.of(), JAVA, source.toString(), url);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).as(result.toString())
                .contains("✗ TLS " + HOST + ":" + https.port() + ": upstream certificate rejected: ")
                .contains("javax.net.ssl.SSLHandshakeException")
                .contains("unable to find valid certification path");
    }

    static final String BEFORE_RESPONSE = "\\((connection closed before response|connection reset)\\)";
    static final String MID_RESPONSE = "\\(connection (closed|reset) mid-response after \\d+ of 1048576 body bytes\\)";

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void closeBeforeResponseIsAnError(boolean http2) throws Exception {
        assertFailedExchange(http2, "/close-before-response", BEFORE_RESPONSE);
    }

    /** A response cut short after its head is not "closed before response" (it was). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void resetMidBodyIsAnErrorSayingHowFarItGot(boolean http2) throws Exception {
        assertFailedExchange(http2, "/reset-mid-body", MID_RESPONSE);
    }

    private static void assertFailedExchange(boolean http2, String path, String reason) throws Exception {
        try (TestHttpServer server = http2 ? TestHttpServer.https2(ca, HOST) : TestHttpServer.https(ca, HOST)) {
            String url = server.url(HOST, path);
            String version = http2 ? "--http2" : "--http1.1";
            Command.Result outside = direct("curl", "-s", version, "-o", "/dev/null", "--cacert", caPem.toString(),
                    "--resolve", resolve(server), url);
            // curl's own complaint goes to /dev/null so that stderr holds only jtap's lines
            Jtap.Result result = jtap("sh", "-c", "curl -s " + version + " -o /dev/null " + url + " 2>/dev/null");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(outside.exitCode()).isNotZero();
            List<String> lines = result.stderr().lines().toList();
            assertThat(lines).as(result.toString()).hasSize(2);
            assertThat(lines.get(0)).isEqualTo("---> GET " + url);
            assertThat(lines.get(1)).matches("<--- ERR " + Pattern.quote(url) + " " + reason);
        }
    }

    static final String JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    /** Debian's JDK, whose cacerts is a symbolic link to /etc/ssl/certs/java/cacerts. */
    static final String JAVA_17 = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
    static final int TEXT_BYTES = TestHttpServer.TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;

    static String curlVersion() {
        return direct("curl", "--version").out().split(" ")[1];
    }
}
