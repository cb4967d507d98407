package dev.jtap.cli;

import dev.jtap.linux.Errno;
import dev.jtap.linux.ErrnoException;

/** Turns failed system calls during setup into advice a user can act on. */
final class Problems {
    private Problems() {
    }

    static String explain(ErrnoException e) {
        String call = e.call();
        if (call.startsWith("open /dev/net/tun")) {
            return switch (e.errno()) {
                case Errno.ENOENT, Errno.ENODEV ->
                        "/dev/net/tun is missing: load the tun module (sudo modprobe tun)";
                case Errno.EACCES, Errno.EPERM ->
                        "/dev/net/tun is not accessible to this user: sudo chmod 666 /dev/net/tun";
                default -> "cannot open /dev/net/tun: " + Errno.describe(e.errno());
            };
        }
        if (call.startsWith("ioctl TUNSETIFF")) {
            return "cannot create the TUN device (" + Errno.describe(e.errno())
                    + "): check /dev/net/tun permissions (sudo chmod 666 /dev/net/tun)";
        }
        if (call.equals("unshare")) {
            return "cannot create network/mount namespaces (" + Errno.describe(e.errno()) + "): user namespaces "
                    + "may be disabled (sysctl kernel.unprivileged_userns_clone=1, "
                    + "kernel.apparmor_restrict_unprivileged_userns=0), or run as root";
        }
        return e.getMessage();
    }
}
