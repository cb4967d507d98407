package dev.jtap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A TUN device (layer 3, no packet-information prefix), opened non-blocking. It belongs to the
 * network namespace of the thread that opened it; its file descriptor can be read from any thread.
 */
public final class TunDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUN_F_CSUM = 1;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;
    private static final String DEVICE = "/dev/net/tun";

    private final int fd;
    private final String name;
    private volatile boolean closed;

    private TunDevice(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * Creates the device {@code name} in the calling thread's network namespace. Packets carry a
     * 10-byte virtio_net_hdr in front and may use checksum offload (see TUNSETOFFLOAD).
     */
    public static TunDevice create(String name) throws ErrnoException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("TUN name must be 1 to 15 characters: " + name);
        }
        int fd = LibC.open(DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            MemorySegment.copy(nameBytes, 0, ifreq, JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(JAVA_SHORT, IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR));
            LibC.ioctl(fd, TUNSETIFF, ifreq, "TUNSETIFF " + name);
            LibC.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM, "TUNSETOFFLOAD " + name);
        } catch (ErrnoException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
        return new TunDevice(fd, name);
    }

    public int fd() {
        return fd;
    }

    public String name() {
        return name;
    }

    /** Reads one packet; returns its length, 0 when none is waiting, or -errno. */
    public long read(MemorySegment callState, MemorySegment buffer) {
        long n = LibC.read(callState, fd, buffer, buffer.byteSize());
        return n == -Errno.EAGAIN ? 0 : n;
    }

    /** Writes one packet of {@code length} bytes; returns bytes written or -errno. */
    public long write(MemorySegment callState, MemorySegment buffer, long length) {
        return LibC.write(callState, fd, buffer, length);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
