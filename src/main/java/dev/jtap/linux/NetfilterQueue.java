package dev.jtap.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A netfilter queue (NFQUEUE) bound on a non-blocking netlink socket: the kernel holds each packet
 * a rule sends to the queue until this socket gives it a verdict. Like every socket it belongs to
 * the network namespace of the thread that opened it; afterwards any one thread may use it.
 */
public final class NetfilterQueue implements AutoCloseable {
    private static final int NETLINK_NETFILTER = 12;
    /** Whole packets: a SYN may carry data (TCP Fast Open). */
    private static final int COPY_RANGE = 65535;
    private static final int MAX_QUEUED = 65536;
    private static final int RECEIVE_BUFFER = 4 << 20;
    private static final int BUFFER_SIZE = 128 * 1024;

    private final int fd;
    private final int queue;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveSegment = arena.allocate(BUFFER_SIZE, 8);
    private final ByteBuffer received = receiveSegment.asByteBuffer();
    private final MemorySegment sendSegment = arena.allocate(256, 8);
    private final ByteBuffer sending = sendSegment.asByteBuffer();
    private final MemorySegment callState = LibC.newCallState(arena);
    private boolean closed;

    private NetfilterQueue(int fd, int queue) {
        this.fd = fd;
        this.queue = queue;
    }

    /** Binds queue number {@code queue} in the calling thread's network namespace. */
    public static NetfilterQueue open(int queue) throws ErrnoException {
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC,
                NETLINK_NETFILTER);
        NetfilterQueue opened = new NetfilterQueue(fd, queue);
        try {
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, RECEIVE_BUFFER, "SO_RCVBUF");
            opened.configure();
            return opened;
        } catch (ErrnoException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private void configure() throws ErrnoException {
        sending.clear();
        int length = NfqMessages.config(sending, queue, COPY_RANGE, MAX_QUEUED, 1);
        send(length, "NFQUEUE bind");
        MemorySegment pollFd = arena.allocate(8, 4);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, LibC.POLLIN);
        LibC.poll(callState, pollFd, 1, 2000);
        long n = LibC.read(callState, fd, receiveSegment, BUFFER_SIZE);
        if (n < 0) {
            throw new ErrnoException("NFQUEUE bind", (int) -n);
        }
        int error = NfqMessages.acknowledgement(received, 0, (int) n);
        if (error < 0) {
            throw new ErrnoException("NFQUEUE bind", -error);
        }
    }

    public int fd() {
        return fd;
    }

    /**
     * Reads one datagram of queued packets into the receive buffer; returns its length, 0 when none
     * is waiting, or -errno (ENOBUFS: the kernel dropped messages because the socket was full).
     */
    public int receive() {
        long n = LibC.read(callState, fd, receiveSegment, BUFFER_SIZE);
        return n == -Errno.EAGAIN ? 0 : (int) n;
    }

    /** The receive buffer; {@link #receive} fills it from index 0. */
    public ByteBuffer received() {
        return received;
    }

    /** Lets packet {@code id} go on ({@link NfqMessages#NF_ACCEPT}) or drops it, setting {@code mark} if not 0. */
    public void verdict(int id, int verdict, int mark) {
        sending.clear();
        int length = NfqMessages.verdict(sending, queue, id, verdict, mark);
        LibC.write(callState, fd, sendSegment, length);
    }

    private void send(int length, String what) throws ErrnoException {
        long n = LibC.write(callState, fd, sendSegment, length);
        if (n < 0) {
            throw new ErrnoException(what, (int) -n);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
            arena.close();
        }
    }
}
