package dev.jtap.sandbox;

import dev.jtap.linux.ErrnoException;
import dev.jtap.linux.LibC;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Read-only bind mounts of jtap's files over the child's view of system files. Only valid in the
 * private mount namespace: {@link #makePrivate()} first, so nothing propagates to the host.
 */
final class Overlay {
    private Overlay() {
    }

    static void makePrivate() throws ErrnoException {
        LibC.mount(null, "/", null, LibC.MS_REC | LibC.MS_PRIVATE, null);
    }

    /** Lays {@code source} over {@code target}; returns false when the target does not exist. */
    static boolean bindReadOnly(Path source, Path target) throws ErrnoException {
        if (!Files.exists(target)) {
            return false;
        }
        String from = source.toString();
        String to = target.toString();
        LibC.mount(from, to, null, LibC.MS_BIND, null);
        LibC.mount(from, to, null, LibC.MS_REMOUNT | LibC.MS_BIND | LibC.MS_RDONLY, null);
        return true;
    }
}
