package dev.jtap.sandbox;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Who the child runs as. By default the caller's own uid/gid, restored through a nested user
 * namespace (which also leaves the child without CAP_NET_ADMIN over its network namespace); with
 * {@code --user}, another account, which needs real root.
 */
public record ChildIdentity(long uid, long gid, String userName, boolean switchUser) {

    /** The identity of whoever started jtap, seen through the user namespace the launcher made. */
    public static ChildIdentity caller() throws IOException {
        long uid = outsideId("/proc/self/uid_map").orElseGet(ChildIdentity::processUid);
        long gid = outsideId("/proc/self/gid_map").orElseGet(ChildIdentity::processGid);
        return new ChildIdentity(uid, gid, null, false);
    }

    /** {@code --user NAME|UID}: looks the account up in /etc/passwd. */
    public static ChildIdentity user(String nameOrUid) throws IOException {
        for (String line : readProc("/etc/passwd").split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && (f[0].equals(nameOrUid) || f[2].equals(nameOrUid))) {
                return new ChildIdentity(Long.parseLong(f[2]), Long.parseLong(f[3]), f[0], true);
            }
        }
        if (nameOrUid.matches("\\d+")) {
            return new ChildIdentity(Long.parseLong(nameOrUid), Long.parseLong(nameOrUid), null, true);
        }
        throw new IllegalArgumentException("--user: no such user: " + nameOrUid);
    }

    /** The command line that starts {@code command} with this identity. */
    public List<String> wrap(List<String> command, boolean inUserNamespace) {
        List<String> line = new ArrayList<>();
        if (switchUser) {
            line.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid));
            line.add(userName != null ? "--init-groups" : "--clear-groups");
            line.add("--");
        } else if (inUserNamespace) {
            line.addAll(List.of("unshare", "--user", "--map-user=" + uid, "--map-group=" + gid, "--"));
        }
        line.addAll(command);
        return line;
    }

    private static OptionalLong outsideId(String mapFile) throws IOException {
        String[] first = readProc(mapFile).strip().split("\\s+");
        if (first.length >= 3 && first[0].equals("0") && first[2].equals("1")) {
            return OptionalLong.of(Long.parseLong(first[1]));
        }
        return OptionalLong.empty();
    }

    private static long processUid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }

    private static long processGid() {
        return new com.sun.security.auth.module.UnixSystem().getGid();
    }

    static String readProc(String path) throws IOException {
        try (FileInputStream in = new FileInputStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
