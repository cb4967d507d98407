package dev.jtap.stack;

import dev.jtap.linux.Errno;
import dev.jtap.linux.ErrnoException;
import dev.jtap.linux.LibC;
import dev.jtap.packet.PacketView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The child's pings, sent on through the host's ICMP datagram ("ping") sockets, so that every reply
 * the child sees is the network's own: a host that does not answer leaves the child's ping
 * unanswered, as it would without jtap. The kernel gives a ping socket's echoes an identifier of its
 * own, so jtap numbers its echoes itself and hands each reply back under the identifier and sequence
 * number the child used. Used only on the packet loop's thread; opened in the host's namespace where
 * the host lets jtap's group open ping sockets ({@code net.ipv4.ping_group_range}).
 */
final class PingRelay implements AutoCloseable {
    private static final int ICMP_HEADER = 8;
    private static final int BUFFER_SIZE = 65536;
    /** A reply later than this is not matched to its request (ping's own timeouts are shorter). */
    private static final long REPLY_WINDOW_NANOS = 60_000_000_000L;

    /** A request of the child's, waiting for its reply. */
    record Echo(byte[] remote, byte[] child, int identifier, int sequence, long sentNanos) {
    }

    /** Hands a matched reply on; {@code payload} is valid only during the call. */
    interface Replies {
        void reply(Echo echo, ByteBuffer payload);
    }

    private final Family v4;
    private final Family v6;
    private final MemorySegment buffer;
    /** {@link #buffer} seen as bytes (network order), for writing a request and reading a reply. */
    private final ByteBuffer bytes;
    private final MemorySegment state;

    private PingRelay(Family v4, Family v6, Arena arena) {
        this.v4 = v4;
        this.v6 = v6;
        this.buffer = arena.allocate(BUFFER_SIZE, 8);
        this.bytes = buffer.asByteBuffer();
        this.state = LibC.newCallState(arena);
    }

    /** The relay, or null when the host allows this process no IPv4 ping socket. Call in the host's namespace. */
    static PingRelay open(Arena arena) {
        Family v4 = Family.open(4, arena);
        if (v4 == null) {
            return null;
        }
        return new PingRelay(v4, Family.open(6, arena), arena);
    }

    boolean relays(int ipVersion) {
        return ipVersion == 4 || v6 != null;
    }

    int fd(int ipVersion) {
        Family family = ipVersion == 4 ? v4 : v6;
        return family == null ? -1 : family.fd;
    }

    /**
     * Sends the echo request in {@code request} (from {@code child} to {@code remote}, arrays this
     * relay keeps) to {@code target}; returns 0, or -errno when the host cannot send it (e.g. no route).
     */
    long send(PacketView request, byte[] child, byte[] remote, byte[] target, long nowNanos) {
        Family family = request.ipVersion() == 4 ? v4 : v6;
        int sequence = family.nextSequence();
        int payloadLength = request.payloadLength();
        bytes.clear().put(0, (byte) (request.ipVersion() == 4 ? 8 : 128)).put(1, (byte) 0).putShort(2, (short) 0)
                .putShort(4, (short) 0).putShort(6, (short) sequence)
                .put(ICMP_HEADER, request.buffer(), request.payloadOffset(), payloadLength);
        family.setAddress(target);
        long sent = LibC.sendto(state, family.fd, buffer, ICMP_HEADER + payloadLength, family.address,
                family.address.byteSize());
        if (sent >= 0) {
            family.pending[sequence] = new Echo(remote, child, request.icmpEchoIdentifier(),
                    request.icmpEchoSequence(), nowNanos);
            return 0;
        }
        return sent;
    }

    /** Reads every reply waiting on the sockets and hands each one that answers a request on. */
    void receive(long nowNanos, Replies replies) {
        receive(v4, 0, nowNanos, replies);
        if (v6 != null) {
            receive(v6, 129, nowNanos, replies);
        }
    }

    private void receive(Family family, int replyType, long nowNanos, Replies replies) {
        while (true) {
            long n = LibC.recv(state, family.fd, buffer, BUFFER_SIZE);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n < 0) {
                return; // EAGAIN: nothing more waits
            }
            if (n < ICMP_HEADER || (bytes.get(0) & 0xff) != replyType) {
                continue;
            }
            int sequence = bytes.getShort(6) & 0xffff;
            Echo echo = family.pending[sequence];
            if (echo == null || nowNanos - echo.sentNanos > REPLY_WINDOW_NANOS) {
                continue;
            }
            family.pending[sequence] = null;
            replies.reply(echo, bytes.clear().limit((int) n).position(ICMP_HEADER));
        }
    }

    @Override
    public void close() {
        LibC.close(v4.fd);
        if (v6 != null) {
            LibC.close(v6.fd);
        }
    }

    /** One address family's socket, its destination address and its requests in flight. */
    private static final class Family {
        final int fd;
        final MemorySegment address;
        final Echo[] pending = new Echo[65536];
        private int sequence;

        private Family(int fd, MemorySegment address) {
            this.fd = fd;
            this.address = address;
        }

        static Family open(int ipVersion, Arena arena) {
            boolean v4 = ipVersion == 4;
            try {
                int fd = LibC.socket(v4 ? LibC.AF_INET : LibC.AF_INET6,
                        LibC.SOCK_DGRAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, v4 ? LibC.IPPROTO_ICMP : LibC.IPPROTO_ICMPV6);
                MemorySegment address = arena.allocate(v4 ? 16 : 28, 8);
                address.set(JAVA_SHORT, 0, (short) (v4 ? LibC.AF_INET : LibC.AF_INET6)); // sa_family: host order
                return new Family(fd, address);
            } catch (ErrnoException e) {
                return null; // EACCES: the host's ping_group_range leaves this process out
            }
        }

        int nextSequence() {
            sequence = (sequence + 1) & 0xffff;
            return sequence;
        }

        /** sockaddr_in (address at 4) or sockaddr_in6 (address at 8); ports, flow and scope stay 0. */
        void setAddress(byte[] target) {
            MemorySegment.copy(MemorySegment.ofArray(target), 0, address, target.length == 4 ? 4 : 8, target.length);
        }
    }
}
