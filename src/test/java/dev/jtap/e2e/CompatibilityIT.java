package dev.jtap.e2e;

import dev.jtap.e2e.support.Command;
import dev.jtap.e2e.support.RecordedRequest;
import dev.jtap.e2e.support.TestCa;
import dev.jtap.e2e.support.TestDnsServer;
import dev.jtap.e2e.support.TestHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The client compatibility matrix (README "Client compatibility"): one test per client, each making
 * an HTTPS request inside {@code jtap --upstream-ca ... --dns ... --stderr --} with no trust flags of
 * its own. Each asserts that jtap showed the exchange decrypted and that the client printed what it
 * prints when run directly on the host, trusting the test CA through its own mechanism.
 *
 * <p>A client missing on this machine is skipped (assumption), never silently passed: .ci/run
 * installs them all.
 */
class CompatibilityIT {
    static final String HOST = "host.jtap.local";
    static final String NAME = "compat.test";
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);
    /** Debian's interpreter and its python3-pip (not a pyenv shim that may be first on PATH). */
    static final String PYTHON = "/usr/bin/python3";
    static final String JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    static final int TEXT_BYTES = TestHttpServer.TEXT.getBytes(StandardCharsets.UTF_8).length;

    static TestCa ca;
    static Path dir;
    static Path caPem;
    static Path files;
    static TestDnsServer dns;
    static TestHttpServer https;

    @BeforeAll
    static void start() throws IOException {
        ca = TestCa.create("jtap compatibility-it upstream CA");
        dir = Files.createTempDirectory("jtap-compat-it");
        readable(dir);
        caPem = ca.writePem(dir.resolve("test-ca.pem"));
        files = Files.createDirectory(dir.resolve("files"));
        dns = TestDnsServer.start().a(NAME, "169.254.77.65");
        https = TestHttpServer.builder().tls(ca, HOST, NAME, "127.0.0.1").files(files).start();
    }

    @AfterAll
    static void stop() throws Exception {
        E2e.closeAll(https, dns);
        E2e.deleteTree(dir);
    }

    @BeforeEach
    void clear() {
        https.clearRecords();
    }

    // ---- helpers ----

    /** Runs {@code jtap --upstream-ca test-ca.pem --dns ... --stderr -- command}. */
    static Jtap.Result jtap(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("--stderr", "--upstream-ca", caPem.toString(), "--dns", dns.dnsArg(),
                "--"));
        args.addAll(Arrays.asList(command));
        return Jtap.run(args, Map.of(), null, CLIENT_TIMEOUT);
    }

    /** The client run directly on the host (the server is 127.0.0.1 there). */
    static Command.Result direct(String... command) {
        return Command.run(CLIENT_TIMEOUT, command);
    }

    /** The two lines jtap prints for one successful exchange. */
    static String exchange(String method, String url, int status, long bytes) {
        return "---> " + method + " " + url + "\n<--- " + status + " " + url + " (" + bytes + " bytes)\n";
    }

    /** jtap's own lines in stderr: exchanges and its explanations; the client's complaints are left out. */
    static List<String> jtapLines(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("---> ") || l.startsWith("<--- ") || l.startsWith("✗ ")).toList();
    }

    static void assertOk(Command.Result outside) {
        assertThat(outside.exitCode()).as("without jtap: " + outside).isZero();
    }

    static void assertOk(Jtap.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    /** One GET of /text, shown decrypted, and the same output inside and outside jtap. */
    static void assertTextFetched(Jtap.Result result, Command.Result outside, String url) {
        assertOk(outside);
        assertOk(result);
        assertThat(result.stderr()).as(result.toString()).isEqualTo(exchange("GET", url, 200, TEXT_BYTES));
        assertThat(result.stdout()).isEqualTo(outside.out()).isEqualTo(TestHttpServer.TEXT);
    }

    /** The child runs as the caller but perhaps as another user: let it read what the test wrote. */
    static void readable(Path path) {
        path.toFile().setReadable(true, false);
        if (Files.isDirectory(path)) {
            path.toFile().setExecutable(true, false);
        }
    }

    static void readableTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            all.forEach(CompatibilityIT::readable);
        }
    }

    static void requireProgram(String program) {
        assumeThat(program.startsWith("/") ? Files.isExecutable(Path.of(program)) : Command.available(program))
                .as(program + " is installed (.ci/run installs it)").isTrue();
    }

    // ---- Java HttpsURLConnection ----

    static final String JAVA_URL_CONNECTION = """
            import java.io.InputStream;
            import java.net.URI;
            import javax.net.ssl.HttpsURLConnection;

            public class UrlGet {
                public static void main(String[] args) throws Exception {
                    HttpsURLConnection c = (HttpsURLConnection) URI.create(args[0]).toURL().openConnection();
                    try (InputStream in = c.getInputStream()) {
                        System.out.write(in.readAllBytes());
                    }
                    System.out.flush();
                }
            }
            """;

    /** Trust reaches the JVM through the PKCS12 store jtap lays over the JDK's cacerts. */
    @Test
    void javaHttpsUrlConnection() throws Exception {
        requireProgram(JAVA);
        Path source = Files.writeString(dir.resolve("UrlGet.java"), JAVA_URL_CONNECTION);
        readable(source);
        Path store = dir.resolve("test-ca.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("test-ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "changeit".toCharArray());
        }
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap(JAVA, source.toString(), url);
        Command.Result outside = direct(JAVA, "-Djavax.net.ssl.trustStore=" + store,
                "-Djavax.net.ssl.trustStorePassword=changeit", source.toString(), https.url("/text"));
        assertTextFetched(result, outside, url);
    }

    // ---- Go ----

    static final String GO_GET = """
            package main

            import (
            	"io"
            	"net/http"
            	"os"
            )

            func main() {
            	r, err := http.Get(os.Args[1])
            	if err != nil {
            		os.Stderr.WriteString(err.Error() + "\\n")
            		os.Exit(1)
            	}
            	defer r.Body.Close()
            	io.Copy(os.Stdout, r.Body)
            }
            """;

    /** Go's crypto/x509 reads SSL_CERT_FILE, and /etc/ssl/certs/ca-certificates.crt without it. */
    @Test
    void goNetHttp() throws Exception {
        requireProgram("go");
        Path work = Files.createDirectory(dir.resolve("go"));
        Path source = Files.writeString(work.resolve("get.go"), GO_GET);
        Path binary = work.resolve("get");
        Command.Result build = direct("env", "GOCACHE=" + work.resolve("cache"), "GOPATH=" + work.resolve("gopath"),
                "GO111MODULE=off", "GOFLAGS=", "CGO_ENABLED=0", "HOME=" + work,
                "go", "build", "-o", binary.toString(), source.toString());
        assertThat(build.exitCode()).as("go build: " + build).isZero();
        readableTree(work);
        String url = https.url(NAME, "/text");
        Jtap.Result result = jtap(binary.toString(), url);
        Command.Result outside = direct("env", "SSL_CERT_FILE=" + caPem, binary.toString(), https.url("/text"));
        assertTextFetched(result, outside, url);
    }

    // ---- Ruby ----

    static final String RUBY_GET = "require 'net/http'; print Net::HTTP.get(URI(ARGV[0]))";

    /** Ruby's OpenSSL uses OpenSSL's default paths: SSL_CERT_FILE / SSL_CERT_DIR. */
    @Test
    void rubyNetHttp() throws Exception {
        requireProgram("ruby");
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("ruby", "-e", RUBY_GET, url);
        Command.Result outside = direct("env", "SSL_CERT_FILE=" + caPem, "ruby", "-e", RUBY_GET, https.url("/text"));
        assertTextFetched(result, outside, url);
    }

    // ---- PHP ----

    static final String PHP_CURL = """
            $c = curl_init($argv[1]);
            curl_setopt($c, CURLOPT_RETURNTRANSFER, true);
            $body = curl_exec($c);
            if ($body === false) { fwrite(STDERR, curl_error($c) . "\\n"); exit(1); }
            echo $body;
            """;
    static final String PHP_STREAM = "$b = file_get_contents($argv[1]); if ($b === false) { exit(1); } echo $b;";

    /** php-curl's libcurl opens its compiled-in bundle, /etc/ssl/certs/ca-certificates.crt (bind-mounted). */
    @Test
    void phpCurlExtension() throws Exception {
        requireProgram("php");
        assumeThat(direct("php", "-m").out().lines()).as("php-curl is installed").contains("curl");
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("php", "-r", PHP_CURL, url);
        Command.Result outside = direct("php", "-d", "curl.cainfo=" + caPem, "-r", PHP_CURL, https.url("/text"));
        assertTextFetched(result, outside, url);
    }

    /** PHP's https:// stream wrapper uses OpenSSL's default paths: SSL_CERT_FILE / the system bundle. */
    @Test
    void phpFileGetContents() throws Exception {
        requireProgram("php");
        String url = https.url(HOST, "/text");
        Jtap.Result result = jtap("php", "-r", PHP_STREAM, url);
        Command.Result outside = direct("php", "-d", "openssl.cafile=" + caPem, "-r", PHP_STREAM, https.url("/text"));
        assertTextFetched(result, outside, url);
    }

    // ---- Python http.client ----

    static final String HTTP_CLIENT = """
            import http.client, sys
            c = http.client.HTTPSConnection(sys.argv[1], int(sys.argv[2]))
            c.request("GET", "/text")
            sys.stdout.write(c.getresponse().read().decode())
            """;

    /** http.client's default context loads OpenSSL's default paths: SSL_CERT_FILE. */
    @Test
    void pythonHttpClient() throws Exception {
        requireProgram(PYTHON);
        String port = Integer.toString(https.port());
        Jtap.Result result = jtap(PYTHON, "-c", HTTP_CLIENT, HOST, port);
        Command.Result outside = direct("env", "SSL_CERT_FILE=" + caPem, PYTHON, "-c", HTTP_CLIENT, "127.0.0.1", port);
        assertTextFetched(result, outside, https.url(HOST, "/text"));
    }

    // ---- git (dumb HTTP) ----

    /** A bare repository with one commit, prepared for git's dumb HTTP protocol; returns its directory. */
    static Path gitRepository() throws IOException {
        Path repo = files.resolve("repo.git");
        if (Files.isDirectory(repo)) {
            return repo;
        }
        Path work = Files.createDirectory(dir.resolve("git-work"));
        Files.writeString(work.resolve("hello.txt"), "hello from a repository served over HTTPS\n");
        String[] identity = {"env", "GIT_AUTHOR_NAME=jtap", "GIT_AUTHOR_EMAIL=jtap@test", "GIT_AUTHOR_DATE=2024-01-01T00:00:00Z",
                "GIT_COMMITTER_NAME=jtap", "GIT_COMMITTER_EMAIL=jtap@test", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z",
                "GIT_CONFIG_NOSYSTEM=1", "HOME=" + work};
        for (List<String> step : List.of(
                List.of("git", "-C", work.toString(), "init", "-q", "-b", "main"),
                List.of("git", "-C", work.toString(), "add", "hello.txt"),
                List.of("git", "-C", work.toString(), "commit", "-q", "-m", "first commit"),
                List.of("git", "clone", "-q", "--bare", work.toString(), repo.toString()),
                List.of("git", "-C", repo.toString(), "update-server-info"))) {
            List<String> command = new ArrayList<>(List.of(identity));
            command.addAll(step);
            Command.Result r = Command.run(CLIENT_TIMEOUT, command);
            assertThat(r.exitCode()).as(String.join(" ", step) + ": " + r).isZero();
        }
        readableTree(repo);
        return repo;
    }

    static final String GIT_CLONE = "git clone -q \"$1\" \"$2\" && git -C \"$2\" log --format='%H %s' && cat \"$2/hello.txt\"";

    /** git's libcurl reads GIT_SSL_CAINFO (and the bind-mounted system bundle without it). */
    @Test
    void gitCloneOverDumbHttp() throws Exception {
        requireProgram("git");
        gitRepository();
        Path clones = Files.createDirectory(dir.resolve("clones"));
        clones.toFile().setWritable(true, false);
        readable(clones);
        String url = https.url(HOST, "/files/repo.git");
        Command.Result outside = direct("env", "GIT_SSL_CAINFO=" + caPem, "GIT_CONFIG_NOSYSTEM=1", "sh", "-c", GIT_CLONE,
                "sh", https.url("/files/repo.git"), clones.resolve("outside").toString());
        assertOk(outside);
        List<String> seenOutside = https.requests().stream().map(RecordedRequest::uri).toList();
        https.clearRecords();

        Jtap.Result result = jtap("env", "GIT_CONFIG_NOSYSTEM=1", "sh", "-c", GIT_CLONE, "sh", url,
                clones.resolve("inside").toString());
        assertOk(result);
        assertThat(result.stdout()).isEqualTo(outside.out()).contains("first commit")
                .endsWith("hello from a repository served over HTTPS\n");
        List<RecordedRequest> seen = https.requests();
        assertThat(seen).extracting(RecordedRequest::uri).as("git asks for the same files with and without jtap")
                .containsExactlyElementsOf(seenOutside)
                .startsWith("/files/repo.git/info/refs?service=git-upload-pack");
        List<String> expected = new ArrayList<>();
        for (RecordedRequest r : seen) {
            expected.add("---> GET https://" + HOST + ":" + https.port() + r.uri());
        }
        List<String> lines = jtapLines(result.stderr());
        assertThat(lines.stream().filter(l -> l.startsWith("---> ")).toList()).as(result.toString())
                .containsExactlyElementsOf(expected);
        assertThat(lines.stream().filter(l -> l.startsWith("<--- ")).toList()).as(result.toString())
                .hasSameSizeAs(expected)
                .anyMatch(l -> l.startsWith("<--- 200 " + url + "/info/refs?service=git-upload-pack ("))
                .noneMatch(l -> l.startsWith("<--- ERR"));
        assertThat(lines).as(result.toString()).noneMatch(l -> l.startsWith("✗"));
    }

    // ---- pip ----

    static final String WHEEL = "jtapdemo-1.0-py3-none-any.whl";

    /** A hand-made pure-Python wheel and a PEP 503 "simple" index page pointing at it. */
    static void pipIndex() throws Exception {
        Path simple = files.resolve("simple/jtapdemo");
        if (Files.isDirectory(simple)) {
            return;
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("jtapdemo/__init__.py", "VALUE = 'installed through jtap'\n".getBytes(StandardCharsets.UTF_8));
        entries.put("jtapdemo-1.0.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: jtapdemo\nVersion: 1.0\nSummary: jtap test package\n"
                        .getBytes(StandardCharsets.UTF_8));
        entries.put("jtapdemo-1.0.dist-info/WHEEL",
                "Wheel-Version: 1.0\nGenerator: jtap-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                        .getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String digest = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(e.getValue()));
            record.append(e.getKey()).append(",sha256=").append(digest).append(',').append(e.getValue().length).append('\n');
        }
        record.append("jtapdemo-1.0.dist-info/RECORD,,\n");
        entries.put("jtapdemo-1.0.dist-info/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        byte[] wheel = zip.toByteArray();
        Files.createDirectories(simple);
        Files.write(files.resolve(WHEEL), wheel);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wheel));
        Files.writeString(simple.resolve("index.html"), "<!DOCTYPE html>\n<html><body>\n<a href=\"../../" + WHEEL
                + "#sha256=" + sha + "\">" + WHEEL + "</a>\n</body></html>\n");
        readableTree(files);
    }

    static final String PIP_INSTALL = PYTHON + " -m pip install -q --no-cache-dir --disable-pip-version-check"
            + " --no-deps --target \"$2\" --index-url \"$1\" jtapdemo"
            + " && PYTHONPATH=\"$2\" " + PYTHON + " -c 'import jtapdemo; print(jtapdemo.VALUE)'";

    /** pip reads PIP_CERT (and Debian's pip the system bundle without it). */
    @Test
    void pipInstallFromASimpleIndex() throws Exception {
        requireProgram(PYTHON);
        assumeThat(direct(PYTHON, "-m", "pip", "--version").exitCode()).as("python3-pip is installed").isZero();
        pipIndex();
        Path targets = Files.createDirectory(dir.resolve("pip"));
        targets.toFile().setWritable(true, false);
        readable(targets);
        // requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, when set, win over pip's own --cert (psf/requests#3829)
        Command.Result outside = direct("env", "-u", "REQUESTS_CA_BUNDLE", "-u", "CURL_CA_BUNDLE",
                "-u", "PIP_FIND_LINKS", "PIP_CERT=" + caPem, "PIP_CONFIG_FILE=/dev/null", "HOME=" + targets, "sh", "-c", PIP_INSTALL, "sh",
                https.url("/files/simple/"), targets.resolve("outside").toString());
        assertOk(outside);
        https.clearRecords();

        String index = https.url(NAME, "/files/simple/");
        // no configuration files or local wheel directories of the host's pip: only the index is asked
        Jtap.Result result = jtap("env", "-u", "PIP_FIND_LINKS", "PIP_CONFIG_FILE=/dev/null", "HOME=" + targets,
                "sh", "-c", PIP_INSTALL, "sh", index,
                targets.resolve("inside").toString());
        assertOk(result);
        assertThat(result.stdout()).isEqualTo(outside.out()).isEqualTo("installed through jtap\n");
        String page = index + "jtapdemo/";
        String wheel = https.url(NAME, "/files/" + WHEEL);
        long pageBytes = Files.size(files.resolve("simple/jtapdemo/index.html"));
        long wheelBytes = Files.size(files.resolve(WHEEL));
        assertThat(String.join("\n", jtapLines(result.stderr())) + "\n").as(result.toString())
                .isEqualTo(exchange("GET", page, 200, pageBytes) + exchange("GET", wheel, 200, wheelBytes));
    }
}
