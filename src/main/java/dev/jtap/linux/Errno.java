package dev.jtap.linux;

import java.util.Map;

/** errno values jtap reacts to, and their names for messages. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM (operation not permitted)"),
            Map.entry(ENOENT, "ENOENT (no such file or directory)"),
            Map.entry(ESRCH, "ESRCH (no such process)"),
            Map.entry(EINTR, "EINTR (interrupted)"),
            Map.entry(EAGAIN, "EAGAIN (try again)"),
            Map.entry(EACCES, "EACCES (permission denied)"),
            Map.entry(EBUSY, "EBUSY (device or resource busy)"),
            Map.entry(EEXIST, "EEXIST (file exists)"),
            Map.entry(ENODEV, "ENODEV (no such device)"),
            Map.entry(EINVAL, "EINVAL (invalid argument)"),
            Map.entry(ENOSPC, "ENOSPC (no space left)"),
            Map.entry(ENOSYS, "ENOSYS (function not implemented)"));

    private Errno() {
    }

    public static String describe(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }
}
