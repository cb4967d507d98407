package dev.jtap.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ./jtap} launcher and collects what a user would see. */
final class Jtap {
    static final Path REPO = Path.of(System.getenv().getOrDefault("JTAP_REPO", System.getProperty("user.dir")));
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Jtap() {
    }

    static Result run(String... args) throws Exception {
        return run(List.of(args), Map.of(), null, DEFAULT_TIMEOUT);
    }

    static List<String> commandLine(List<String> args) {
        List<String> line = new ArrayList<>();
        line.add(REPO.resolve("jtap").toString());
        line.addAll(args);
        return line;
    }

    static Result run(List<String> args, Map<String, String> environment, String stdin, Duration timeout)
            throws Exception {
        Running running = start(commandLine(args), environment);
        try (OutputStream in = running.process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the child may exit without reading its input
        }
        return running.await(timeout);
    }

    static Running start(List<String> commandLine, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        builder.environment().putAll(environment);
        return new Running(builder.start());
    }

    /** A started jtap whose output is drained in the background. */
    static final class Running {
        final Process process;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private final Thread stdoutPump;
        private final Thread stderrPump;

        Running(Process process) {
            this.process = process;
            stdoutPump = pump(process.getInputStream(), stdout);
            stderrPump = pump(process.getErrorStream(), stderr);
        }

        private static Thread pump(InputStream from, ByteArrayOutputStream to) {
            return Thread.ofPlatform().daemon(true).start(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = from.read(buffer)) > 0; ) {
                        synchronized (to) {
                            to.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        String stdoutSoFar() {
            synchronized (stdout) {
                return stdout.toString(StandardCharsets.UTF_8);
            }
        }

        /** Sends a signal to jtap itself (its pid is the JVM's: the launcher execs). */
        void signal(String name) throws Exception {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
        }

        Result await(Duration timeout) throws Exception {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
                stdoutPump.join(2000);
                stderrPump.join(2000);
                throw new AssertionError("jtap did not finish within " + timeout + "\n"
                        + new Result(-1, stdoutSoFar(), stderr.toString(StandardCharsets.UTF_8)));
            }
            stdoutPump.join(5000);
            stderrPump.join(5000);
            return new Result(process.exitValue(), stdoutSoFar(), stderr.toString(StandardCharsets.UTF_8));
        }
    }
}
