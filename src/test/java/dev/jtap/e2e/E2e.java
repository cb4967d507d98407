package dev.jtap.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.e2e.support.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Helpers shared by the end-to-end tests of captures and streaming: external checkers, polling, hashes. */
final class E2e {
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private static final String VALIDATE = """
            const path = require('path');
            const fs = require('fs');
            const validator = require(path.join(process.argv[2], 'node_modules', 'har-validator'));
            validator.har(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')))
              .then(() => console.log('valid'))
              .catch(e => { console.log(JSON.stringify(e.errors || e.message)); process.exit(1); });
            """;

    private E2e() {
    }

    /** Where npm installed har-validator: HAR_VALIDATOR_DIR (property or environment), else /opt/harv. */
    static Path harValidatorDir() {
        String configured = System.getProperty("HAR_VALIDATOR_DIR", System.getenv("HAR_VALIDATOR_DIR"));
        Path dir = Path.of(configured == null || configured.isBlank() ? "/opt/harv" : configured);
        assertThat(dir.resolve("node_modules/har-validator"))
                .as("har-validator is needed: npm install --prefix /opt/harv har-validator (or set HAR_VALIDATOR_DIR)")
                .isDirectory();
        return dir;
    }

    /** Runs the npm har-validator over {@code har} and fails with its complaints unless it is valid. */
    static void assertValidHar(Path har) {
        try {
            Path script = Files.createTempFile("validate-har", ".js");
            try {
                Files.writeString(script, VALIDATE);
                Command.Result result = Command.run(TOOL_TIMEOUT, "node", script.toString(),
                        harValidatorDir().toString(), har.toString());
                assertThat(result.exitCode()).as("har-validator on %s: %s%n%s", har, result.out(), contents(har))
                        .isZero();
                assertThat(result.out()).contains("valid");
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One HAR entry as the tests compare it; {@code body} is the decoded response content. */
    record HarEntry(String method, String url, int status, String error, boolean truncated, long bodySize,
                    byte[] body, byte[] requestBody) {
        String bodySha256() {
            return sha256(body);
        }
    }

    /** The entries of a HAR file, read with jq (so the file is also checked by an independent JSON parser). */
    static List<HarEntry> harEntries(Path har) {
        Command.Result result = Command.run(TOOL_TIMEOUT, "jq", "-r", """
                .log.entries[] | [.request.method, .request.url, (.response.status|tostring),
                  (._error // "" | @base64), ((.response.content._truncated // false)|tostring),
                  (.response.bodySize|tostring), (.response.content.encoding // "-"),
                  (.response.content.text // "" | @base64),
                  (.request.postData._encoding // "-"), (.request.postData.text // "" | @base64)] | join(" ")
                """, har.toString());
        assertThat(result.exitCode()).as("jq on %s: %s", har, result.stderr()).isZero();
        List<HarEntry> entries = new ArrayList<>();
        Base64.Decoder base64 = Base64.getDecoder();
        for (String line : result.out().lines().toList()) {
            String[] f = line.split(" ", -1);
            byte[] text = base64.decode(f[7]);
            byte[] body = f[6].equals("base64") ? base64.decode(new String(text, StandardCharsets.US_ASCII)) : text;
            byte[] postText = base64.decode(f[9]);
            byte[] requestBody = f[8].equals("base64") ? base64.decode(new String(postText, StandardCharsets.US_ASCII))
                    : postText;
            String error = new String(base64.decode(f[3]), StandardCharsets.UTF_8);
            entries.add(new HarEntry(f[0], f[1], Integer.parseInt(f[2]), error.isEmpty() ? null : error,
                    Boolean.parseBoolean(f[4]), Long.parseLong(f[5]), body, requestBody));
        }
        return entries;
    }

    static String contents(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(" + file + " does not exist)";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void waitFor(BooleanSupplier condition, Supplier<String> description) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s: " + description.get());
            }
            Thread.sleep(20);
        }
    }

    /** Closes, in order, the servers a test class started, skipping any that never started. */
    static void closeAll(AutoCloseable... servers) throws Exception {
        for (AutoCloseable c : servers) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Deletes {@code dir} and everything below it, as far as it can; nothing when it is null. */
    static void deleteTree(Path dir) throws IOException {
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Lines of {@code text} that start with {@code prefix}. */
    static List<String> linesStartingWith(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    /** Kills every process still descending from {@code running} (after jtap itself was killed, say). */
    static void killLeftovers(List<ProcessHandle> processes) {
        for (ProcessHandle p : processes) {
            p.destroyForcibly();
        }
    }

    /** Runs jtap; on failure of the body, kills what is left, so no test leaves a jtap behind. */
    static Jtap.Running start(List<String> args) throws IOException {
        return Jtap.start(Jtap.commandLine(args), java.util.Map.of());
    }

    /**
     * Environment giving jtap its own {@code java.io.tmpdir}, so that its temp dir can be told apart
     * from those of other jtap runs on the same machine (and is removed with the test's own).
     */
    static java.util.Map<String, String> privateTmp(Path tmp) {
        return java.util.Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
    }

    static void stop(Jtap.Running running) {
        if (running != null && running.process.isAlive()) {
            List<ProcessHandle> descendants = running.process.descendants().toList();
            running.process.destroyForcibly();
            killLeftovers(descendants);
        }
    }
}
