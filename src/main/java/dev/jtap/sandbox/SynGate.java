package dev.jtap.sandbox;

import dev.jtap.linux.NetfilterQueue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fast path for the child's TCP, in the namespace's own netfilter: each SYN the child sends
 * towards the TUN waits in a netfilter queue until jtap has dialled its destination; jtap's verdict
 * lets it on, and the kernel's NAT then takes the connection straight to jtap's listener (so its
 * segments never cross the TUN), or marks it for a reset or an ICMP unreachable made by the kernel.
 * The rules live only in the child's namespace and vanish with it.
 */
final class SynGate {
    static final int QUEUE = 0;
    private static final List<String> SBIN = List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/");

    private SynGate() {
    }

    static String rules(NetworkPlan plan, int version, String listenPorts, int refusedMark, int unreachableMark) {
        String tun = plan.tunName();
        String listener = version == 4 ? plan.childV4().getHostAddress() + ":" + listenPorts
                : "[" + plan.childV6().getHostAddress() + "]:" + listenPorts;
        String unreachable = version == 4 ? "icmp-host-unreachable" : "icmp6-addr-unreachable";
        return String.join("\n",
                "*mangle",
                "-A OUTPUT -o " + tun + " -p tcp --syn -j NFQUEUE --queue-num " + QUEUE,
                "COMMIT",
                "*nat",
                "-A OUTPUT -o " + tun + " -p tcp -m mark --mark 0 -j DNAT --to-destination " + listener,
                "COMMIT",
                "*filter",
                "-A OUTPUT -o " + tun + " -p tcp -m mark --mark " + refusedMark + " -j REJECT --reject-with tcp-reset",
                "-A OUTPUT -o " + tun + " -p tcp -m mark --mark " + unreachableMark + " -j REJECT --reject-with "
                        + unreachable,
                "COMMIT",
                "");
    }

    /**
     * Binds the queue and installs the rules for IPv4 and IPv6, or neither. Must run on the namespace
     * thread. Fails when the kernel or the host lacks what it needs (iptables, NFQUEUE, NAT).
     */
    static NetfilterQueue install(NetworkPlan plan, String listenPorts, int refusedMark, int unreachableMark)
            throws IOException, InterruptedException {
        NetfilterQueue queue = NetfilterQueue.open(QUEUE);
        try {
            // Both at once: each is a process start of some 25 ms, on jtap's start-up path.
            Process v4 = startRestore("iptables-restore", rules(plan, 4, listenPorts, refusedMark, unreachableMark));
            Process v6 = startRestore("ip6tables-restore", rules(plan, 6, listenPorts, refusedMark, unreachableMark));
            awaitRestore("iptables-restore", v4);
            awaitRestore("ip6tables-restore", v6);
            return queue;
        } catch (IOException | InterruptedException | RuntimeException e) {
            queue.close();
            String empty = "*mangle\nCOMMIT\n*nat\nCOMMIT\n*filter\nCOMMIT\n";
            try {
                restore("iptables-restore", empty);
                restore("ip6tables-restore", empty);
            } catch (IOException | InterruptedException flushFailed) {
                e.addSuppressed(flushFailed);
            }
            throw e;
        }
    }

    private static void restore(String tool, String rules) throws IOException, InterruptedException {
        awaitRestore(tool, startRestore(tool, rules));
    }

    private static Process startRestore(String tool, String rules) throws IOException {
        String path = SBIN.stream().map(dir -> dir + tool).filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IOException(tool + " is missing (Debian package iptables)"));
        Process process = new ProcessBuilder(path).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(rules.getBytes(StandardCharsets.US_ASCII));
        }
        return process;
    }

    private static void awaitRestore(String tool, Process process) throws IOException, InterruptedException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0) {
            throw new IOException(tool + " failed: " + output.replace('\n', ' '));
        }
    }
}
