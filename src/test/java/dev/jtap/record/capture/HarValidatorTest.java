package dev.jtap.record.capture;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtap.record.Exchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the npm package har-validator over a file holding every kind of entry. Needs {@code node} on
 * the PATH and {@code HAR_VALIDATOR_DIR} (system property or environment variable) naming the
 * directory whose node_modules holds har-validator; skipped otherwise.
 */
class HarValidatorTest {

    private static final String VALIDATE = """
            const path = require('path');
            const fs = require('fs');
            const validator = require(path.join(process.argv[2], 'node_modules', 'har-validator'));
            validator.har(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')))
              .then(() => console.log('valid'))
              .catch(e => { console.log(JSON.stringify(e.errors || e.message)); process.exit(1); });
            """;

    @TempDir
    Path dir;

    @Test
    void harValidatorAcceptsTheFileAfterEveryEntryAndAfterClose() throws Exception {
        Path validatorDir = validatorDir();
        Path file = dir.resolve("all.har");
        HarSink sink = new HarSink(file, "0.1.0");
        assertValid(validatorDir, file);
        for (Exchange e : SampleExchanges.all()) {
            sink.requestSent(e);
            sink.exchangeFinished(e);
            assertValid(validatorDir, file);
        }
        sink.requestSent(new Exchange(99, SampleExchanges.T0, "GET", "http://never.test/", "HTTP/1.1", List.of(), 64));
        sink.close();
        assertValid(validatorDir, file);
    }

    private Path validatorDir() {
        String configured = System.getProperty("HAR_VALIDATOR_DIR", System.getenv("HAR_VALIDATOR_DIR"));
        assumeTrue(configured != null && !configured.isBlank(), "HAR_VALIDATOR_DIR not set");
        Path validatorDir = Path.of(configured);
        assumeTrue(Files.isDirectory(validatorDir.resolve("node_modules/har-validator")),
                "har-validator not installed under " + validatorDir);
        return validatorDir;
    }

    private void assertValid(Path validatorDir, Path har) throws IOException, InterruptedException {
        Path script = dir.resolve("validate.js");
        Files.writeString(script, VALIDATE);
        Process node;
        try {
            node = new ProcessBuilder("node", script.toString(), validatorDir.toString(), har.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "node is not installed: " + notInstalled.getMessage());
            return;
        }
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(node.getInputStream().readAllBytes(), UTF_8);
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("valid");
    }
}
