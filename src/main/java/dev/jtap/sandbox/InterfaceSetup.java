package dev.jtap.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Brings up lo and the TUN inside the namespace with one {@code ip -batch} run. */
final class InterfaceSetup {
    private static final List<String> IP_LOCATIONS = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

    private InterfaceSetup() {
    }

    static String commands(NetworkPlan plan) {
        String tun = plan.tunName();
        String onlink = plan.gatewayInSubnet() ? "" : " onlink";
        return String.join("\n",
                "link set lo up",
                "link set " + tun + " mtu " + plan.mtu() + " up",
                "addr add " + plan.childV4().getHostAddress() + "/" + plan.prefixV4() + " dev " + tun,
                "addr add " + plan.childV6().getHostAddress() + "/" + plan.prefixV6() + " dev " + tun + " nodad",
                "route add default via " + plan.gatewayV4().getHostAddress() + " dev " + tun + onlink,
                "route add ::/0 via " + plan.gatewayV6().getHostAddress() + " dev " + tun,
                "");
    }

    /** Must run on the namespace thread: the {@code ip} process inherits its namespaces. */
    static void apply(NetworkPlan plan) throws IOException, InterruptedException {
        String ip = IP_LOCATIONS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IOException("the ip command is missing: install iproute2"));
        Process process = new ProcessBuilder(ip, "-batch", "-").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(commands(plan).getBytes(StandardCharsets.US_ASCII));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0) {
            throw new IOException("configuring " + plan.tunName() + " failed: " + output.replace('\n', ' '));
        }
    }
}
