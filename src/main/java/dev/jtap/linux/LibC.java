package dev.jtap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls into libc. Each method returns the call's result or throws {@link ErrnoException};
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
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SOL_IP = 0;
    public static final int SOL_IPV6 = 41;
    /** SO_ORIGINAL_DST and IP6T_SO_ORIGINAL_DST: where a kernel-NATed connection was headed. */
    public static final int SO_ORIGINAL_DST = 80;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Calls that build the sandbox: the namespace thread needs them first. */
    private static final class SandboxCalls {
        static final MethodHandle UNSHARE = function("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle MOUNT = function("mount",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        static final MethodHandle OPEN = function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        static final MethodHandle IOCTL = function("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
        static final MethodHandle IOCTL_VALUE = function("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
        static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** The packet loop's calls. */
    private static final class PacketCalls {
        static final MethodHandle READ = function("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle WRITE = function("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle POLL = function("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        static final MethodHandle EVENTFD = function("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** Netlink sockets (the SYN queue) and the options of the relay's sockets. */
    private static final class SocketCalls {
        static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle SETSOCKOPT = function("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle GETSOCKOPT = function("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    /** Signals and the terminal: needed once the child runs. */
    private static final class ProcessCalls {
        static final MethodHandle KILL = function("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle TCGETPGRP = function("tcgetpgrp", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle GETPGRP = function("getpgrp", FunctionDescriptor.of(JAVA_INT));
    }

    private LibC() {
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** Space for the captured errno; callers on a hot path allocate one and reuse it. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static int check(String call, int result, MemorySegment state) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, errno(state));
        }
        return result;
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
     * Links every downcall, group by group in the order start-up needs them. Linking is slow (the
     * first link of the Foreign Function API costs some 50 ms, each new signature a few more), so a
     * thread of its own does it while start-up goes on; a thread that needs a group earlier links
     * that group itself, or waits for it.
     */
    public static void link() {
        for (Class<?> group : List.of(SandboxCalls.class, PacketCalls.class, SocketCalls.class, ProcessCalls.class)) {
            try {
                MethodHandles.lookup().ensureInitialized(group);
            } catch (IllegalAccessException e) {
                throw new LinkageError(group.getName(), e);
            }
        }
    }

    public static void unshare(int flags) throws ErrnoException {
        downcall("unshare", (arena, state) ->
                check("unshare", (int) SandboxCalls.UNSHARE.invokeExact(state, flags), state));
    }

    public static void mount(String source, String target, String fsType, long flags, String data)
            throws ErrnoException {
        downcall("mount", (arena, state) -> {
            int result = (int) SandboxCalls.MOUNT.invokeExact(state, cString(arena, source), cString(arena, target),
                    cString(arena, fsType), flags, cString(arena, data));
            return check("mount " + target, result, state);
        });
    }

    public static int open(String path, int flags) throws ErrnoException {
        return downcall("open", (arena, state) ->
                check("open " + path, (int) SandboxCalls.OPEN.invokeExact(state, arena.allocateFrom(path), flags), state));
    }

    public static void ioctl(int fd, long request, MemorySegment argument, String what) throws ErrnoException {
        downcall("ioctl", (arena, state) ->
                check("ioctl " + what, (int) SandboxCalls.IOCTL.invokeExact(state, fd, request, argument), state));
    }

    /** ioctl(2) whose argument is a plain value rather than a pointer. */
    public static void ioctl(int fd, long request, long value, String what) throws ErrnoException {
        downcall("ioctl", (arena, state) ->
                check("ioctl " + what, (int) SandboxCalls.IOCTL_VALUE.invokeExact(state, fd, request, value), state));
    }

    /** read(2); returns -errno instead of throwing, for loops that handle EAGAIN. */
    public static long read(MemorySegment state, int fd, MemorySegment buffer, long length) {
        try {
            long n = (long) PacketCalls.READ.invokeExact(state, fd, buffer, length);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw new LinkageError("read", t);
        }
    }

    /** write(2); returns -errno instead of throwing. */
    public static long write(MemorySegment state, int fd, MemorySegment buffer, long length) {
        try {
            long n = (long) PacketCalls.WRITE.invokeExact(state, fd, buffer, length);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw new LinkageError("write", t);
        }
    }

    /** poll(2) over an array of struct pollfd; returns -errno instead of throwing. */
    public static int poll(MemorySegment state, MemorySegment pollFds, int count, int timeoutMillis) {
        try {
            int n = (int) PacketCalls.POLL.invokeExact(state, pollFds, (long) count, timeoutMillis);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw new LinkageError("poll", t);
        }
    }

    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) SandboxCalls.CLOSE.invokeExact(newCallState(arena), fd);
        } catch (Throwable t) {
            throw new LinkageError("close", t);
        }
    }

    /** kill(2); false when the process is already gone. */
    public static boolean kill(long pid, int signal) throws ErrnoException {
        return downcall("kill", (arena, state) -> {
            int result = (int) ProcessCalls.KILL.invokeExact(state, (int) pid, signal);
            if (result < 0 && errno(state) == Errno.ESRCH) {
                return false;
            }
            check("kill", result, state);
            return true;
        });
    }

    public static int eventfd(int initialValue, int flags) throws ErrnoException {
        return downcall("eventfd", (arena, state) ->
                check("eventfd", (int) PacketCalls.EVENTFD.invokeExact(state, initialValue, flags), state));
    }

    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        return downcall("socket", (arena, state) ->
                check("socket", (int) SocketCalls.SOCKET.invokeExact(state, domain, type, protocol), state));
    }

    /** setsockopt(2) with an int value. */
    public static void setsockopt(int fd, int level, int option, int value, String what) throws ErrnoException {
        downcall("setsockopt", (arena, state) -> check("setsockopt " + what,
                (int) SocketCalls.SETSOCKOPT.invokeExact(state, fd, level, option, arena.allocateFrom(JAVA_INT, value), 4), state));
    }

    /** getsockopt(2) into a buffer of {@code size} bytes; returns the bytes the kernel filled in. */
    public static byte[] getsockopt(int fd, int level, int option, int size, String what) throws ErrnoException {
        return downcall("getsockopt", (arena, state) -> {
            MemorySegment value = arena.allocate(size);
            MemorySegment length = arena.allocateFrom(JAVA_INT, size);
            check("getsockopt " + what, (int) SocketCalls.GETSOCKOPT.invokeExact(state, fd, level, option, value, length), state);
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
            int foreground = (int) ProcessCalls.TCGETPGRP.invokeExact(state, fd);
            return foreground >= 0 && foreground == (int) ProcessCalls.GETPGRP.invokeExact(state);
        } catch (Throwable t) {
            throw new LinkageError("tcgetpgrp", t);
        }
    }

    private static MemorySegment cString(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }
}
