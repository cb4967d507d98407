package dev.jtap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * System calls, all made through libc's {@code syscall(2)}: one downcall handle, so the Foreign
 * Function API links a single signature at start-up (each signature costs a generated class and
 * tens of ms of a cold JVM). Each method returns the call's result or throws {@link ErrnoException};
 * errno is captured by the linker, never read from a second call.
 */
public final class LibC {
    public static final int CLONE_NEWNS = 0x20000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final long MS_RDONLY = 1;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1L << 18;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final short POLLIN = 1;
    public static final short POLLOUT = 4;
    public static final int EFD_CLOEXEC = 02000000;
    public static final int EFD_NONBLOCK = 04000;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SOL_IP = 0;
    public static final int SOL_IPV6 = 41;
    /** SO_ORIGINAL_DST and IP6T_SO_ORIGINAL_DST: where a kernel-NATed connection was headed. */
    public static final int SO_ORIGINAL_DST = 80;

    private static final int AT_FDCWD = -100;
    private static final long TIOCGPGRP = 0x540f;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** A call state also holds the timeout that ppoll(2) reads, so a polling loop allocates nothing. */
    private static final long TIMEOUT_OFFSET = (CALL_STATE.byteSize() + 7) & ~7L;
    private static final long CALL_STATE_SIZE = TIMEOUT_OFFSET + 16;
    /** {@code long syscall(long number, ...)} with six arguments, unused ones zero. */
    private static final MethodHandle SYSCALL;

    static {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall"));
        SYSCALL = linker.downcallHandle(symbol,
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    private LibC() {
    }

    /** Space for the captured errno; callers on a hot path allocate one and reuse it. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE_SIZE, 8);
    }

    private static long syscall(MemorySegment state, long number, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) SYSCALL.invokeExact(state, number, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new LinkageError("syscall " + number, t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static int check(String call, long result, MemorySegment state) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, errno(state));
        }
        return (int) result;
    }

    /** One downcall, given a confined arena for its arguments and a segment that captures errno. */
    @FunctionalInterface
    private interface Downcall<T> {
        T call(Arena arena, MemorySegment state) throws Throwable;
    }

    /**
     * Runs a downcall that is not on a hot path, in an arena of its own; an {@link ErrnoException} passes
     * through, anything else the handle throws is a broken link.
     */
    private static <T> T downcall(String name, Downcall<T> call) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return call.call(arena, newCallState(arena));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new LinkageError(name, t);
        }
    }

    /**
     * Links the downcall (the first link of the Foreign Function API costs some 50 ms), so start-up
     * can do that on a thread of its own before the namespace thread needs the first call.
     */
    public static void link() {
    }

    public static void unshare(int flags) throws ErrnoException {
        downcall("unshare", (arena, state) -> check("unshare", syscall(state, Syscalls.UNSHARE, flags, 0, 0, 0, 0, 0), state));
    }

    public static void mount(String source, String target, String fsType, long flags, String data)
            throws ErrnoException {
        downcall("mount", (arena, state) -> check("mount " + target, syscall(state, Syscalls.MOUNT, cString(arena, source),
                cString(arena, target), cString(arena, fsType), flags, cString(arena, data), 0), state));
    }

    public static int open(String path, int flags) throws ErrnoException {
        return downcall("open", (arena, state) -> check("open " + path,
                syscall(state, Syscalls.OPENAT, AT_FDCWD, arena.allocateFrom(path).address(), flags, 0, 0, 0), state));
    }

    public static void ioctl(int fd, long request, MemorySegment argument, String what) throws ErrnoException {
        ioctl(fd, request, argument.address(), what);
    }

    /** ioctl(2) whose argument is a plain value rather than a pointer. */
    public static void ioctl(int fd, long request, long value, String what) throws ErrnoException {
        downcall("ioctl", (arena, state) ->
                check("ioctl " + what, syscall(state, Syscalls.IOCTL, fd, request, value, 0, 0, 0), state));
    }

    /** read(2); returns -errno instead of throwing, for loops that handle EAGAIN. */
    public static long read(MemorySegment state, int fd, MemorySegment buffer, long length) {
        long n = syscall(state, Syscalls.READ, fd, buffer.address(), length, 0, 0, 0);
        return n < 0 ? -errno(state) : n;
    }

    /** write(2); returns -errno instead of throwing. */
    public static long write(MemorySegment state, int fd, MemorySegment buffer, long length) {
        long n = syscall(state, Syscalls.WRITE, fd, buffer.address(), length, 0, 0, 0);
        return n < 0 ? -errno(state) : n;
    }

    /** sendto(2) to the socket address in {@code address}; returns -errno instead of throwing. */
    public static long sendto(MemorySegment state, int fd, MemorySegment buffer, long length, MemorySegment address,
                              long addressLength) {
        long n = syscall(state, Syscalls.SENDTO, fd, buffer.address(), length, 0, address.address(), addressLength);
        return n < 0 ? -errno(state) : n;
    }

    /** recvfrom(2) that does not ask for the sender's address; returns -errno instead of throwing. */
    public static long recv(MemorySegment state, int fd, MemorySegment buffer, long length) {
        long n = syscall(state, Syscalls.RECVFROM, fd, buffer.address(), length, 0, 0, 0);
        return n < 0 ? -errno(state) : n;
    }

    /** poll(2) (as ppoll, the call every architecture has) over struct pollfds; returns -errno instead of throwing. */
    public static int poll(MemorySegment state, MemorySegment pollFds, int count, int timeoutMillis) {
        state.set(JAVA_LONG, TIMEOUT_OFFSET, timeoutMillis / 1000);
        state.set(JAVA_LONG, TIMEOUT_OFFSET + 8, (timeoutMillis % 1000) * 1_000_000L);
        long n = syscall(state, Syscalls.PPOLL, pollFds.address(), count, state.address() + TIMEOUT_OFFSET, 0, 0, 0);
        return n < 0 ? -errno(state) : (int) n;
    }

    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            syscall(newCallState(arena), Syscalls.CLOSE, fd, 0, 0, 0, 0, 0);
        }
    }

    /** kill(2); false when the process is already gone. */
    public static boolean kill(long pid, int signal) throws ErrnoException {
        return downcall("kill", (arena, state) -> {
            long result = syscall(state, Syscalls.KILL, pid, signal, 0, 0, 0, 0);
            if (result < 0 && errno(state) == Errno.ESRCH) {
                return false;
            }
            check("kill", result, state);
            return true;
        });
    }

    public static int eventfd(int initialValue, int flags) throws ErrnoException {
        return downcall("eventfd", (arena, state) ->
                check("eventfd", syscall(state, Syscalls.EVENTFD2, initialValue, flags, 0, 0, 0, 0), state));
    }

    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        return downcall("socket", (arena, state) ->
                check("socket", syscall(state, Syscalls.SOCKET, domain, type, protocol, 0, 0, 0), state));
    }

    /** setsockopt(2) with an int value. */
    public static void setsockopt(int fd, int level, int option, int value, String what) throws ErrnoException {
        downcall("setsockopt", (arena, state) -> check("setsockopt " + what, syscall(state, Syscalls.SETSOCKOPT,
                fd, level, option, arena.allocateFrom(JAVA_INT, value).address(), 4, 0), state));
    }

    /** getsockopt(2) into a buffer of {@code size} bytes; returns the bytes the kernel filled in. */
    public static byte[] getsockopt(int fd, int level, int option, int size, String what) throws ErrnoException {
        return downcall("getsockopt", (arena, state) -> {
            MemorySegment value = arena.allocate(size);
            MemorySegment length = arena.allocateFrom(JAVA_INT, size);
            check("getsockopt " + what, syscall(state, Syscalls.GETSOCKOPT, fd, level, option, value.address(),
                    length.address(), 0), state);
            return value.asSlice(0, Math.min(size, length.get(JAVA_INT, 0))).toArray(JAVA_BYTE);
        });
    }

    /**
     * True when jtap's process group owns the terminal on {@code fd}: a Ctrl+C there is delivered to
     * the child by the terminal itself.
     */
    public static boolean ownsTerminal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = newCallState(arena);
            MemorySegment foreground = arena.allocate(JAVA_INT);
            return syscall(state, Syscalls.IOCTL, fd, TIOCGPGRP, foreground.address(), 0, 0, 0) == 0
                    && foreground.get(JAVA_INT, 0) == syscall(state, Syscalls.GETPGID, 0, 0, 0, 0, 0, 0);
        }
    }

    private static long cString(Arena arena, String s) {
        return s == null ? 0 : arena.allocateFrom(s).address();
    }
}
