package dev.jtap.cli;

import dev.jtap.linux.ErrnoException;
import dev.jtap.linux.LibC;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends processes the child left behind in jtap's network namespace (daemons, {@code setsid}
 * grandchildren) when jtap exits, so none of them outlives jtap.
 */
final class NamespaceReaper {
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;

    private final String namespace;

    NamespaceReaper(String namespace) {
        this.namespace = namespace;
    }

    void endAll() throws InterruptedException {
        if (signalAll(SIGTERM) == 0) {
            return;
        }
        for (int i = 0; i < 20 && !members().isEmpty(); i++) {
            Thread.sleep(50);
        }
        signalAll(SIGKILL);
    }

    private int signalAll(int signal) {
        int count = 0;
        for (long pid : members()) {
            try {
                if (LibC.kill(pid, signal)) {
                    count++;
                }
            } catch (ErrnoException e) {
                // an exited or foreign process: nothing to end
            }
        }
        return count;
    }

    private List<Long> members() {
        List<Long> pids = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : proc) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid != self && namespace.equals(networkNamespaceOf(entry))) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            return pids;
        }
        return pids;
    }

    private static String networkNamespaceOf(Path processDir) {
        try {
            return Files.readSymbolicLink(processDir.resolve("ns/net")).toString();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
