package dev.jtap.record.capture;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Writes an address and port as people read them: {@code 10.1.1.100:443}, {@code [fd00::1]:443}. */
public final class Endpoints {
    private Endpoints() {
    }

    public static String of(InetSocketAddress endpoint) {
        InetAddress address = endpoint.getAddress();
        String host = address instanceof Inet6Address
                ? "[" + Ipv6Text.compressed(address.getAddress()) + "]" : address.getHostAddress();
        return host + ":" + endpoint.getPort();
    }
}
