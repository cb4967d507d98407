package dev.jtap.e2e;

import dev.jtap.e2e.support.TestCa;
import dev.jtap.e2e.support.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.jtap.e2e.PlaneSupport.ALIAS;
import static dev.jtap.e2e.PlaneSupport.jtap;
import static dev.jtap.e2e.PlaneSupport.quote;
import static dev.jtap.e2e.PlaneSupport.requireTools;
import static dev.jtap.e2e.ReliabilityIT.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The security properties SECURITY.md promises, one test each. Asserted elsewhere and not repeated
 * here:
 * <ul>
 *   <li>the in-namespace listener refuses peers that are not NAT flows —
 *       {@link PacketPlaneIT#childCannotReachJtapsListenerDirectly()};</li>
 *   <li>the child cannot reconfigure tun0 or its routes — {@link FoundationIT#childCannotReconfigureTheTun()};</li>
 *   <li>upstream TLS is verified by default — HttpsIT in full; a minimal check is {@link #upstreamTlsIsVerifiedByDefault}.</li>
 * </ul>
 */
class SecurityIT {
    private static boolean containsPrivateKey(Path file) {
        try {
            return Files.isRegularFile(file) && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                    .contains("PRIVATE KEY");
        } catch (IOException e) {
            return false; // vanished meanwhile
        }
    }

    /**
     * During an intercepted HTTPS run: jtap's temp dir is 0700 and no file in it (nor anywhere
     * under jtap's temp root) holds a private key; the CA the child is given
     * says jtap and is valid for at most 24 hours. After the run the temp dir is gone.
     */
    @Test
    void caKeyNeverTouchesDiskAndTheCaIsShortLived(@TempDir Path dir, @TempDir Path tmp) throws Exception {
        TestCa testCa = TestCa.create("security test CA");
        Path caFile = testCa.writePem(dir.resolve("test-ca.pem"));
        try (TestHttpServer server = TestHttpServer.https(testCa, ALIAS, "127.0.0.1")) {
            String script = "curl -sS -o /dev/null " + quote(server.url(ALIAS, "/text"))
                    + " && cat \"$NODE_EXTRA_CA_CERTS\" && echo up && exec sleep 314";
            Jtap.Running running = Jtap.start(Jtap.commandLine(List.of("--stderr", "--upstream-ca", caFile.toString(),
                    "--", "sh", "-c", script)), E2e.privateTmp(tmp));
            try {
            waitFor(() -> running.stdoutSoFar().contains("up\n") || !running.process.isAlive());
            assertThat(running.process.isAlive()).as(running.stdoutSoFar()).isTrue();

            List<Path> mine;
            try (Stream<Path> list = Files.list(tmp)) {
                mine = list.toList();
            }
            assertThat(mine).as("jtap's temp dir").singleElement().asString().contains("jtap-");
            Path tempDir = mine.getFirst();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tempDir))).isEqualTo("rwx------");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(tmp)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            assertThat(files).as("CA files the child reads").isNotEmpty();
            assertThat(files).filteredOn(SecurityIT::containsPrivateKey).isEmpty();

            String out = running.stdoutSoFar();
            String pem = out.substring(out.indexOf("-----BEGIN CERTIFICATE-----"), out.lastIndexOf("-----END CERTIFICATE-----") + 25);
            X509Certificate jtapCa = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            assertThat(jtapCa.getSubjectX500Principal().getName()).containsIgnoringCase("jtap");
            assertThat(jtapCa.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            long validity = jtapCa.getNotAfter().getTime() - jtapCa.getNotBefore().getTime();
            assertThat(Duration.ofMillis(validity)).isLessThanOrEqualTo(Duration.ofHours(24));

            running.signal("TERM");
            assertThat(running.await(Duration.ofSeconds(30)).exitCode()).isEqualTo(143);
            assertThat(tempDir).doesNotExist();
            } finally {
                ReliabilityIT.stop(running);
            }
        }
    }

    @Test
    void caDirKeepsTheKeyPrivate(@TempDir Path dir) throws Exception {
        Path caDir = dir.resolve("ca");
        Jtap.Result result = jtap(List.of("--ca-dir", caDir.toString()), "true");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir))).isEqualTo("rwx------");
        List<Path> keys;
        try (Stream<Path> list = Files.list(caDir)) {
            keys = list.filter(SecurityIT::containsPrivateKey).toList();
        }
        assertThat(keys).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.getFirst()))).isEqualTo("rw-------");
        // A second run reuses the same CA rather than replacing it.
        String key = Files.readString(keys.getFirst());
        assertThat(jtap(List.of("--ca-dir", caDir.toString()), "true").exitCode()).isZero();
        assertThat(Files.readString(keys.getFirst())).isEqualTo(key);
    }

    /** Every exit path removes the temp dir and the mounts: success, failure, command not found, jtap error. */
    @Test
    void tempDirAndMountsAreGoneOnEveryExitPath(@TempDir Path dir, @TempDir Path tmp) throws Exception {
        HostState before = HostState.capture();
        assertThat(run(tmp, "true").exitCode()).isZero();
        assertThat(run(tmp, "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
        assertThat(run(tmp, "/nonexistent/program").exitCode()).isEqualTo(127);
        assertThat(run(tmp, "sh", "-c", "kill -9 $$").exitCode()).isEqualTo(137);
        Jtap.Result badCa = run(tmp, "--upstream-ca", dir.resolve("missing.pem").toString(), "--", "true");
        assertThat(badCa.exitCode()).as(badCa.toString()).isNotZero();
        ReliabilityIT.assertLeftNothing(before, tmp);
    }

    private static Jtap.Result run(Path tmp, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("--stderr"));
        if (!List.of(args).contains("--")) {
            line.add("--");
        }
        line.addAll(List.of(args));
        return Jtap.run(line, E2e.privateTmp(tmp), null, Duration.ofSeconds(60));
    }

    /** jtap opens no listening socket on the host: its listener lives in the child's namespace. */
    @Test
    void noPortIsOpenedOnTheHost() throws Exception {
        requireTools("ss");
        try (TestHttpServer server = TestHttpServer.http()) {
            Jtap.Running running = Jtap.start(Jtap.commandLine(List.of("--stderr", "--", "sh", "-c",
                    "curl -sS -o /dev/null " + quote(server.url(ALIAS, "/text")) + " && echo up && exec sleep 315")),
                    Map.of());
            try {
                waitFor(() -> running.stdoutSoFar().contains("up\n") || !running.process.isAlive());
                assertThat(running.process.isAlive()).isTrue();
                // Other programs on the machine may open ports meanwhile: only sockets owned by jtap count.
                String during = HostState.command("ss", "-Hltnup");
                String pid = "pid=" + running.process.pid() + ",";
                assertThat(during).as("ss output").contains("pid=");
                assertThat(during.lines().filter(l -> l.contains(pid))).as(during).isEmpty();
                running.signal("TERM");
                assertThat(running.await(Duration.ofSeconds(30)).exitCode()).isEqualTo(143);
            } finally {
                ReliabilityIT.stop(running);
            }
        }
    }

    @Test
    void upstreamTlsIsVerifiedByDefault() throws Exception {
        TestCa untrusted = TestCa.create("untrusted CA");
        try (TestHttpServer server = TestHttpServer.https(untrusted, ALIAS, "127.0.0.1")) {
            // curl -k: the child would accept anything; jtap itself must refuse the unverifiable upstream.
            Jtap.Result result = jtap(List.of(), "curl", "-sk", "--max-time", "20", server.url(ALIAS, "/text"));
            assertThat(result.stdout()).as(result.toString()).doesNotContain(TestHttpServer.TEXT.strip());
            assertThat(result.exitCode()).isNotZero();
            assertThat(server.requests()).isEmpty();
            Jtap.Result insecure = jtap(List.of("--insecure"), "curl", "-sS", server.url(ALIAS, "/text"));
            assertThat(insecure.stdout()).as(insecure.toString()).isEqualTo(TestHttpServer.TEXT);
        }
    }

    /** An ordinary user's child has no capabilities and keeps the user's uid/gid; so does jtap itself. */
    @Test
    void unprivilegedRunNeverGainsPrivileges() throws Exception {
        assumeTrue(HostState.command("id", "-u").strip().equals("0"), "needs root to create a user");
        Path tun = Path.of("/dev/net/tun");
        String user = "jtapsec" + ProcessHandle.current().pid() % 10000;
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(tun);
        assertThat(new ProcessBuilder("useradd", "--no-create-home", "--shell", "/bin/sh", user).inheritIO().start()
                .waitFor()).isZero();
        try {
            Files.setPosixFilePermissions(tun, PosixFilePermissions.fromString("rw-rw-rw-"));
            String uid = HostState.command("id", "-u", user).strip();
            String gid = HostState.command("id", "-g", user).strip();
            List<String> line = new ArrayList<>(List.of("runuser", "-u", user, "--"));
            line.addAll(Jtap.commandLine(List.of("--stderr", "--", "sh", "-c",
                    "grep -E '^(Uid|Gid|CapInh|CapPrm|CapEff|CapAmb):' /proc/self/status; echo up; exec sleep 316")));
            Jtap.Running running = Jtap.start(line, Map.of("HOME", "/tmp"));
            running.process.getOutputStream().close();
            waitFor(() -> running.stdoutSoFar().contains("up\n") || !running.process.isAlive());
            // jtap itself, seen from the host: the JVM under runuser runs with the user's real uid.
            List<ProcessHandle> javas = running.process.descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("/java")).toList();
            assertThat(javas).as("jtap's JVM").isNotEmpty();
            ProcessHandle jvm = javas.getFirst();
            String jtapStatus = Files.readString(Path.of("/proc/" + jvm.pid() + "/status"));
            new ProcessBuilder("kill", "-TERM", Long.toString(jvm.pid())).start().waitFor();
            Jtap.Result result = running.await(Duration.ofSeconds(30));
            String status = result.stdout();
            assertThat(status).as(result.toString())
                    .containsPattern("(?m)^Uid:\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "$")
                    .containsPattern("(?m)^Gid:\\s+" + gid + "\\s+" + gid + "\\s+" + gid + "\\s+" + gid + "$")
                    .contains("CapInh:\t0000000000000000", "CapPrm:\t0000000000000000",
                            "CapEff:\t0000000000000000", "CapAmb:\t0000000000000000");
            assertThat(jtapStatus).containsPattern("(?m)^Uid:\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "$");
        } finally {
            Files.setPosixFilePermissions(tun, mode);
            new ProcessBuilder("userdel", user).inheritIO().start().waitFor();
        }
    }
}
