package dev.jtap.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where DNS queries to the gateway are forwarded: {@code --dns HOST[:PORT]} or the host's resolver. */
public final class Resolvers {
    private static final int DNS_PORT = 53;

    private Resolvers() {
    }

    /** Parses {@code --dns}: an IP literal with an optional port; IPv6 with a port as [addr]:port. */
    public static InetSocketAddress parse(String value) {
        String host = value;
        int port = DNS_PORT;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("--dns: missing ']' in " + value);
            }
            host = value.substring(1, close);
            if (value.length() > close + 1) {
                if (value.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("--dns: expected [IPv6]:PORT, got " + value);
                }
                port = port(value.substring(close + 2), value);
            }
        } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            host = value.substring(0, value.indexOf(':'));
            port = port(value.substring(value.indexOf(':') + 1), value);
        }
        return new InetSocketAddress(literal(host, value), port);
    }

    /** The first nameserver of the host's /etc/resolv.conf (read from the host's mount namespace). */
    public static InetSocketAddress fromHost(Path resolvConf) throws IOException {
        if (Files.isReadable(resolvConf)) {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length >= 2 && fields[0].equals("nameserver")) {
                    try {
                        return new InetSocketAddress(literal(fields[1].replaceFirst("%.*$", ""), line), DNS_PORT);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                }
            }
        }
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), DNS_PORT);
    }

    private static int port(String text, String value) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new IllegalArgumentException("--dns: bad port in " + value);
    }

    private static InetAddress literal(String host, String value) {
        boolean ipv4 = host.matches("[0-9.]+") && host.split("\\.", -1).length == 4;
        boolean ipv6 = host.contains(":") && host.matches("[0-9a-fA-F:.]+");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("--dns needs an IP address (HOST[:PORT]), got " + value);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--dns: not an IP address: " + value);
        }
    }
}
