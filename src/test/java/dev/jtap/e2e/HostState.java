package dev.jtap.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What jtap must leave unchanged on the host: links, routes, mounts, temp dirs. */
record HostState(String links, String routes, String routes6, String mounts, List<String> tempDirs) {

    static HostState capture() throws Exception {
        return new HostState(command("ip", "-o", "link"), command("ip", "route"), command("ip", "-6", "route"),
                Files.readString(Path.of("/proc/self/mountinfo")), jtapTempDirs());
    }

    private static List<String> jtapTempDirs() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("jtap-")).sorted().toList();
        }
    }

    static String command(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
