package dev.jtap.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** jtap's one temporary directory (mode 0700), removed with everything in it on close. */
public final class PrivateDir implements AutoCloseable {
    private final Path path;

    private PrivateDir(Path path) {
        this.path = path;
    }

    public static PrivateDir create() throws IOException {
        return new PrivateDir(Files.createTempDirectory("jtap-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    }

    public Path path() {
        return path;
    }

    /** Writes a file the child may read through a bind mount (0644). */
    public Path writeReadable(String name, byte[] content) throws IOException {
        Path file = path.resolve(name);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("jtap: could not remove " + path + ": " + e.getMessage());
        }
    }
}
