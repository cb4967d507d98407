package dev.jtap.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Where a connection that the kernel's NAT redirected to one of jtap's sockets was originally
 * headed (SO_ORIGINAL_DST for IPv4, IP6T_SO_ORIGINAL_DST for IPv6).
 */
public final class OriginalDestination {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_IN6_SIZE = 28;

    private OriginalDestination() {
    }

    public static InetSocketAddress of(int fd, int ipVersion) throws ErrnoException {
        byte[] sockaddr = ipVersion == 4
                ? LibC.getsockopt(fd, LibC.SOL_IP, LibC.SO_ORIGINAL_DST, 16, "SO_ORIGINAL_DST")
                : LibC.getsockopt(fd, LibC.SOL_IPV6, LibC.SO_ORIGINAL_DST, SOCKADDR_IN6_SIZE, "IP6T_SO_ORIGINAL_DST");
        return parse(sockaddr);
    }

    /** A struct sockaddr_in or sockaddr_in6 as the kernel lays it out (family in host order, port in network order). */
    static InetSocketAddress parse(byte[] sockaddr) {
        if (sockaddr.length < 8) {
            throw new IllegalArgumentException("socket address of " + sockaddr.length + " bytes");
        }
        int family = (sockaddr[0] & 0xff) | (sockaddr[1] & 0xff) << 8;
        int port = (sockaddr[2] & 0xff) << 8 | (sockaddr[3] & 0xff);
        byte[] address = switch (family) {
            case AF_INET -> Arrays.copyOfRange(sockaddr, 4, 8);
            case AF_INET6 -> {
                if (sockaddr.length < 24) {
                    throw new IllegalArgumentException("IPv6 socket address of " + sockaddr.length + " bytes");
                }
                yield Arrays.copyOfRange(sockaddr, 8, 24);
            }
            default -> throw new IllegalArgumentException("socket address family " + family);
        };
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for lengths other than 4 and 16
        }
    }
}
