package dev.jtap.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** jtap's flags; httptap's names where httptap has the flag. */
@Command(name = "jtap", sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Version.class,
        description = "Run a command in its own network namespace and show every HTTP(S) request it makes.",
        footer = "%nEach flag can also be set with an environment variable JTAP_<FLAG>, e.g. JTAP_VERBOSE=1.")
final class Options {
    @Option(names = {"-v", "--verbose"}, description = "log setup steps and counters")
    boolean verbose;

    @Option(names = "--stderr", description = "write jtap's own output to stderr (default stdout)")
    boolean stderr;

    @Option(names = "--tun", paramLabel = "NAME", defaultValue = "jtap0",
            description = "name of the TUN device inside the namespace (default ${DEFAULT-VALUE})")
    String tun;

    @Option(names = "--subnet", paramLabel = "CIDR", defaultValue = "10.1.1.100/24",
            description = "the child's IPv4 address and prefix (default ${DEFAULT-VALUE})")
    String subnet;

    @Option(names = "--gateway", paramLabel = "IP", defaultValue = "10.1.1.1",
            description = "gateway and DNS server the child sees (default ${DEFAULT-VALUE})")
    String gateway;

    @Option(names = "--no-overlay", description = "lay no files over the child's /etc (resolv.conf, CA bundles)")
    boolean noOverlay;

    @Option(names = "--no-new-user-namespace",
            description = "run without a user namespace (needs root or CAP_SYS_ADMIN+CAP_NET_ADMIN)")
    boolean noNewUserNamespace;

    @Option(names = "--user", paramLabel = "NAME|UID", description = "run the command as this user (needs root)")
    String user;

    @Option(names = "--no-exit", description = "keep running after the command exits, until SIGINT/SIGTERM")
    boolean noExit;

    @Option(names = "--dns", paramLabel = "HOST[:PORT]",
            description = "forward the child's DNS queries to this server (default: the host's resolver)")
    String dns;

    @Option(names = "--allow-quic", description = "relay QUIC (UDP 443) instead of refusing it so clients use TCP")
    boolean allowQuic;

    @Option(names = "--dump-tcp", description = "print one line per packet on the TUN")
    boolean dumpTcp;

    @Option(names = "--http", paramLabel = "PORTS", split = ",",
            description = "treat TCP to these ports as HTTP, whatever the first bytes say")
    List<Integer> httpPorts = new ArrayList<>();

    @Option(names = "--https", paramLabel = "PORTS", split = ",",
            description = "treat TCP to these ports as HTTPS (TLS is detected on any port anyway)")
    List<Integer> httpsPorts = new ArrayList<>();

    @Option(names = "--ca-dir", paramLabel = "DIR",
            description = "load (or create) a persistent CA in DIR instead of a fresh one per run")
    java.nio.file.Path caDir;

    @Option(names = "--upstream-ca", paramLabel = "FILE",
            description = "also trust the CA certificates in this PEM file for upstream TLS (repeatable)")
    List<java.nio.file.Path> upstreamCa = new ArrayList<>();

    @Option(names = "--insecure", description = "do not verify upstream TLS certificates")
    boolean insecure;

    @Option(names = "--head", description = "show HTTP headers")
    boolean head;

    @Option(names = "--body", description = "show HTTP bodies (decoded)")
    boolean body;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "keep at most this many bytes of each body for display (default ${DEFAULT-VALUE})")
    int maxBody;

    @Option(names = "--dump-har", paramLabel = "FILE",
            description = "write every exchange to FILE as HAR 1.2 (valid after each exchange)")
    java.nio.file.Path dumpHar;

    @Option(names = "--dump-jsonl", paramLabel = "FILE",
            description = "write exchanges, DNS queries and flows as JSON lines to FILE (- for stdout)")
    String dumpJsonl;

    @Option(names = "--print-dns", description = "show the child's DNS queries and answers")
    boolean printDns;

    @Option(names = "--dump-pcap", paramLabel = "FILE", description = "write the child's packets to FILE (pcap)")
    java.nio.file.Path dumpPcap;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version and exit")
    boolean version;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "the command to run (default: $SHELL, else /bin/sh)")
    List<String> command = new ArrayList<>();
}
