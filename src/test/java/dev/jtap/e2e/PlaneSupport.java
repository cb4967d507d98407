package dev.jtap.e2e;

import dev.jtap.e2e.support.Command;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared helpers for the packet-plane end-to-end tests. */
final class PlaneSupport {
    static final String ALIAS = "host.jtap.local";
    static final String ALIAS_V4 = "169.254.77.65";
    static final String ALIAS_V6 = "fd00:1a7a::77:65";
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private PlaneSupport() {
    }

    /**
     * Runs {@code jtap --stderr [flags] -- command}: jtap's own output goes to stderr so stdout is
     * exactly the child's.
     */
    static Jtap.Result jtap(List<String> flags, String... command) throws Exception {
        return jtap(flags, TIMEOUT, command);
    }

    static Jtap.Result jtap(List<String> flags, Duration timeout, String... command) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("--stderr");
        args.addAll(flags);
        args.add("--");
        args.addAll(List.of(command));
        return Jtap.run(args, Map.of(), null, timeout);
    }

    /** {@code jtap --stderr -- sh -c script}. */
    static Jtap.Result sh(String script) throws Exception {
        return jtap(List.of(), "sh", "-c", script);
    }

    static Jtap.Result sh(List<String> flags, String script) throws Exception {
        return jtap(flags, "sh", "-c", script);
    }

    /** Runs a command directly on the host (for "same as without jtap" comparisons). */
    static Command.Result host(String... command) {
        return Command.run(TIMEOUT, command);
    }

    static void requireTools(String... programs) {
        for (String program : programs) {
            assumeTrue(Command.available(program), program + " is not installed (see .ci/run)");
        }
    }

    /** A TCP port on 127.0.0.1 that nothing listens on (bound once, then released). */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Single-quotes {@code text} for sh. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\"'\"'") + "'";
    }
}
