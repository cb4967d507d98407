package dev.jtap.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.testing.AtOnce;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleOutputTest {

    @Test
    void standardStreamsAreWrittenThroughTheirDescriptors() {
        assertThat(ConsoleOutput.of(System.out)).isInstanceOf(ConsoleOutput.Descriptor.class);
        assertThat(ConsoleOutput.of(System.err)).isInstanceOf(ConsoleOutput.Descriptor.class);
        assertThat(ConsoleOutput.of(new PrintStream(new java.io.ByteArrayOutputStream())))
                .isInstanceOf(ConsoleOutput.LockedStream.class);
    }

    @Test
    void concurrentShortAndLongBlocksStayWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("console");
        int threads = 6;
        int perThread = 300;
        try (FileOutputStream descriptor = new FileOutputStream(file.toFile())) {
            ConsoleOutput output = new ConsoleOutput.Descriptor(descriptor, UTF_8);
            AtOnce.run(threads, perThread, (thread, i) -> output.print(block(thread, i)));
        }
        List<String> lines = Files.readAllLines(file, UTF_8);
        int expectedLines = 0;
        for (int at = 0; at < lines.size(); ) {
            String[] id = lines.get(at).split(" ");
            String expected = block(Integer.parseInt(id[0]), Integer.parseInt(id[1]));
            int count = (int) expected.lines().count();
            assertThat(String.join("\n", lines.subList(at, at + count))).isEqualTo(expected);
            at += count;
            expectedLines += count;
        }
        assertThat(lines).hasSize(expectedLines);
        assertThat(lines.stream().filter(l -> !l.startsWith(" ")).count()).isEqualTo((long) threads * perThread);
    }

    /** Every fifth block is longer than a pipe writes atomically. */
    private static String block(int thread, int index) {
        StringBuilder block = new StringBuilder(thread + " " + index);
        int extraLines = index % 5 == 0 ? 120 : 2;
        for (int line = 0; line < extraLines; line++) {
            block.append("\n  ").append(thread).append('-').append(index).append(" line ").append(line)
                    .append(" ".repeat(40)).append('|');
        }
        return block.toString();
    }
}
