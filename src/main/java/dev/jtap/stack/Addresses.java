package dev.jtap.stack;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The addresses the packet loop needs, as raw bytes for comparing against packet headers.
 * {@code nat*} is the source jtap gives rewritten connections; {@code listenPort} is where its
 * listener waits inside the namespace; {@code resolver} is where DNS to the gateway goes.
 */
public record Addresses(
        InetAddress childV4, InetAddress childV6,
        InetAddress gatewayV4, InetAddress gatewayV6,
        InetAddress natV4, InetAddress natV6,
        InetAddress hostAliasV4, InetAddress hostAliasV6,
        int listenPort,
        InetSocketAddress resolver) {

    byte[] child(int version) {
        return (version == 4 ? childV4 : childV6).getAddress();
    }

    byte[] nat(int version) {
        return (version == 4 ? natV4 : natV6).getAddress();
    }

    boolean isGateway(InetAddress address) {
        return address.equals(gatewayV4) || address.equals(gatewayV6);
    }

    /** Where jtap really sends traffic the child addressed to {@code remote}. */
    InetSocketAddress target(InetSocketAddress remote) {
        InetAddress address = remote.getAddress();
        if (address.equals(hostAliasV4)) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), remote.getPort());
        }
        if (address.equals(hostAliasV6)) {
            return new InetSocketAddress(loopbackV6(), remote.getPort());
        }
        if (isGateway(address) && remote.getPort() == 53) {
            return resolver;
        }
        return remote;
    }

    static boolean sameAddress(byte[] address, java.nio.ByteBuffer buffer, int offset) {
        for (int i = 0; i < address.length; i++) {
            if (buffer.get(offset + i) != address[i]) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress loopbackV6() {
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        try {
            return InetAddress.getByAddress(loopback);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Addresses" + Arrays.asList(childV4, childV6, gatewayV4, natV4, hostAliasV4, listenPort, resolver);
    }
}
