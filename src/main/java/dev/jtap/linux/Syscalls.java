package dev.jtap.linux;

/**
 * The Linux system call numbers jtap uses: x86-64 has a table of its own, aarch64, riscv64 and
 * loongarch64 share the generic one (include/uapi/asm-generic/unistd.h).
 */
final class Syscalls {
    private static final String ARCH = System.getProperty("os.arch");
    private static final boolean X86_64 = ARCH.equals("amd64") || ARCH.equals("x86_64");

    static {
        if (!X86_64 && !ARCH.equals("aarch64") && !ARCH.equals("riscv64") && !ARCH.equals("loongarch64")) {
            throw new UnsupportedOperationException("jtap knows the system calls of x86-64, aarch64, riscv64 and"
                    + " loongarch64 Linux, not of " + ARCH);
        }
    }

    static final long READ = number(0, 63);
    static final long WRITE = number(1, 64);
    static final long CLOSE = number(3, 57);
    static final long IOCTL = number(16, 29);
    static final long SOCKET = number(41, 198);
    static final long SENDTO = number(44, 206);
    static final long RECVFROM = number(45, 207);
    static final long SETSOCKOPT = number(54, 208);
    static final long GETSOCKOPT = number(55, 209);
    static final long KILL = number(62, 129);
    static final long GETPGID = number(121, 155);
    static final long MOUNT = number(165, 40);
    static final long OPENAT = number(257, 56);
    static final long PPOLL = number(271, 73);
    static final long UNSHARE = number(272, 97);
    static final long EVENTFD2 = number(290, 19);

    private Syscalls() {}

    private static long number(int x86_64, int generic) {
        return X86_64 ? x86_64 : generic;
    }
}
