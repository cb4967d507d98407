package dev.jtap.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** jtap's flags; httptap's names where httptap has the flag. {@link #FLAGS} lists them in help order. */
final class Options {
    static final String TUN_DEFAULT = "jtap0";
    static final String SUBNET_DEFAULT = "10.1.1.100/24";
    static final String GATEWAY_DEFAULT = "10.1.1.1";
    static final int MAX_BODY_DEFAULT = 1024 * 1024;

    boolean verbose;
    boolean stderr;
    String tun = TUN_DEFAULT;
    String subnet = SUBNET_DEFAULT;
    String gateway = GATEWAY_DEFAULT;
    boolean noOverlay;
    boolean noNewUserNamespace;
    String user;
    boolean noExit;
    String dns;
    boolean allowQuic;
    boolean dumpTcp;
    List<Integer> httpPorts = new ArrayList<>();
    List<Integer> httpsPorts = new ArrayList<>();
    Path caDir;
    List<Path> upstreamCa = new ArrayList<>();
    boolean insecure;
    boolean head;
    boolean body;
    int maxBody = MAX_BODY_DEFAULT;
    Path dumpHar;
    String dumpJsonl;
    boolean printDns;
    Path dumpPcap;
    boolean help;
    boolean version;
    List<String> command = new ArrayList<>();

    static final List<Flag> FLAGS = List.of(
            Flag.toggle(List.of("-v", "--verbose"), "log setup steps and counters", (o, v) -> o.verbose = v),
            Flag.toggle(List.of("--stderr"), "write jtap's own output to stderr (default stdout)", (o, v) -> o.stderr = v),
            Flag.value("--tun", "NAME", TUN_DEFAULT, "name of the TUN device inside the namespace", (o, v) -> o.tun = v),
            Flag.value("--subnet", "CIDR", SUBNET_DEFAULT, "the child's IPv4 address and prefix", (o, v) -> o.subnet = v),
            Flag.value("--gateway", "IP", GATEWAY_DEFAULT, "gateway and DNS server the child sees",
                    (o, v) -> o.gateway = v),
            Flag.toggle(List.of("--no-overlay"), "lay no files over the child's /etc (resolv.conf, CA bundles)",
                    (o, v) -> o.noOverlay = v),
            Flag.toggle(List.of("--no-new-user-namespace"),
                    "run without a user namespace (needs root or CAP_SYS_ADMIN+CAP_NET_ADMIN)",
                    (o, v) -> o.noNewUserNamespace = v),
            Flag.value("--user", "NAME|UID", null, "run the command as this user (needs root)", (o, v) -> o.user = v),
            Flag.toggle(List.of("--no-exit"), "keep running after the command exits, until SIGINT/SIGTERM",
                    (o, v) -> o.noExit = v),
            Flag.value("--dns", "HOST[:PORT]", null,
                    "forward the child's DNS queries to this server (default: the host's resolver)", (o, v) -> o.dns = v),
            Flag.toggle(List.of("--allow-quic"), "relay QUIC (UDP 443) instead of refusing it so clients use TCP",
                    (o, v) -> o.allowQuic = v),
            Flag.toggle(List.of("--dump-tcp"), "print one line per packet on the TUN", (o, v) -> o.dumpTcp = v),
            Flag.repeated("--http", "PORTS", "treat TCP to these ports as HTTP, whatever the first bytes say",
                    (o, v) -> o.httpPorts.addAll(ArgumentParser.ports("--http", v))),
            Flag.repeated("--https", "PORTS", "treat TCP to these ports as HTTPS (TLS is detected on any port anyway)",
                    (o, v) -> o.httpsPorts.addAll(ArgumentParser.ports("--https", v))),
            Flag.value("--ca-dir", "DIR", null, "load (or create) a persistent CA in DIR instead of a fresh one per run",
                    (o, v) -> o.caDir = Path.of(v)),
            Flag.repeated("--upstream-ca", "FILE",
                    "also trust the CA certificates in this PEM file for upstream TLS (repeatable)",
                    (o, v) -> o.upstreamCa.add(Path.of(v))),
            Flag.toggle(List.of("--insecure"), "do not verify upstream TLS certificates", (o, v) -> o.insecure = v),
            Flag.toggle(List.of("--head"), "show HTTP headers", (o, v) -> o.head = v),
            Flag.toggle(List.of("--body"), "show HTTP bodies (decoded)", (o, v) -> o.body = v),
            Flag.value("--max-body", "BYTES", String.valueOf(MAX_BODY_DEFAULT),
                    "keep at most this many bytes of each body for display",
                    (o, v) -> o.maxBody = ArgumentParser.nonNegative("--max-body", v)),
            Flag.value("--dump-har", "FILE", null, "write every exchange to FILE as HAR 1.2 (valid after each exchange)",
                    (o, v) -> o.dumpHar = Path.of(v)),
            Flag.value("--dump-jsonl", "FILE", null,
                    "write exchanges, DNS queries and flows as JSON lines to FILE (- for stdout)",
                    (o, v) -> o.dumpJsonl = v),
            Flag.toggle(List.of("--print-dns"), "show the child's DNS queries and answers", (o, v) -> o.printDns = v),
            Flag.value("--dump-pcap", "FILE", null, "write the child's packets to FILE (pcap)",
                    (o, v) -> o.dumpPcap = Path.of(v)),
            Flag.toggle(List.of("-h", "--help"), "show this help and exit", (o, v) -> o.help = v),
            Flag.toggle(List.of("-V", "--version"), "print the version and exit", (o, v) -> o.version = v));
}
