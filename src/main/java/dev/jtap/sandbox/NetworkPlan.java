package dev.jtap.sandbox;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The addresses inside the namespace. The child's address is also the TUN's address; the gateway
 * is where it sends DNS; the NAT address is the source jtap gives rewritten connections so that the
 * namespace's kernel delivers them to jtap's listener; the host alias reaches the host's loopback.
 */
public record NetworkPlan(
        String tunName,
        int mtu,
        Inet4Address childV4,
        int prefixV4,
        Inet4Address gatewayV4,
        Inet4Address natV4,
        Inet4Address hostAliasV4,
        Inet6Address childV6,
        int prefixV6,
        Inet6Address gatewayV6,
        Inet6Address natV6,
        Inet6Address hostAliasV6) {

    public static final String HOST_ALIAS_V4 = "169.254.77.65";
    public static final String HOST_ALIAS_V6 = "fd00:1a7a::77:65";

    /** Builds the plan from httptap-style {@code --subnet CIDR} and {@code --gateway IP}. */
    public static NetworkPlan of(String tunName, String subnet, String gateway) {
        int slash = subnet.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--subnet must be IP/PREFIX, e.g. 10.1.1.100/24: " + subnet);
        }
        Inet4Address child = ipv4(subnet.substring(0, slash), "--subnet");
        int prefix;
        try {
            prefix = Integer.parseInt(subnet.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 1 || prefix > 30) {
            throw new IllegalArgumentException("--subnet prefix must be 1 to 30: " + subnet);
        }
        Inet4Address gatewayAddress = ipv4(gateway, "--gateway");
        if (gatewayAddress.equals(child)) {
            throw new IllegalArgumentException("--gateway must differ from the --subnet address: " + gateway);
        }
        return new NetworkPlan(tunName, 65520, child, prefix, gatewayAddress,
                ipv4("169.254.77.2", "nat"), ipv4(HOST_ALIAS_V4, "alias"),
                ipv6("fd00:1a7a::100"), 64, ipv6("fd00:1a7a::1"), ipv6("fd00:1a7a::2"),
                ipv6(HOST_ALIAS_V6));
    }

    /** True when the gateway lies inside the child's IPv4 subnet (otherwise its route is onlink). */
    public boolean gatewayInSubnet() {
        int mask = -1 << (32 - prefixV4);
        return (toInt(childV4) & mask) == (toInt(gatewayV4) & mask);
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static Inet4Address ipv4(String text, String what) {
        String[] parts = text.split("\\.", -1);
        boolean valid = parts.length == 4;
        for (int i = 0; valid && i < 4; i++) {
            valid = parts[i].matches("\\d{1,3}") && Integer.parseInt(parts[i]) <= 255;
        }
        if (!valid) {
            throw new IllegalArgumentException(what + " is not an IPv4 address: " + text);
        }
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException(what + " is not an IPv4 address: " + text);
        }
    }

    private static Inet6Address ipv6(String text) {
        try {
            return (Inet6Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
