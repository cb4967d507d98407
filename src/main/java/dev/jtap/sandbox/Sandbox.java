package dev.jtap.sandbox;

import dev.jtap.linux.LibC;
import dev.jtap.linux.NamespaceThread;
import dev.jtap.linux.NetfilterQueue;
import dev.jtap.linux.TunDevice;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The namespaces the child runs in, entered by one {@link NamespaceThread}: a private network
 * namespace whose only route is the TUN device, and a private mount namespace for the overlay.
 */
public final class Sandbox implements AutoCloseable {
    private final NetworkPlan plan;
    private final PrivateDir dir;
    private final NamespaceThread namespace;
    private final TunDevice tun;
    private final boolean overlay;
    private final Consumer<String> verbose;

    private Sandbox(NetworkPlan plan, PrivateDir dir, NamespaceThread namespace, TunDevice tun,
                    boolean overlay, Consumer<String> verbose) {
        this.plan = plan;
        this.dir = dir;
        this.namespace = namespace;
        this.tun = tun;
        this.overlay = overlay;
        this.verbose = verbose;
    }

    /**
     * Enters new namespaces, creates and configures the TUN, and lays the resolver overlay from
     * files in {@code dir}, which stays the caller's to remove.
     */
    public static Sandbox create(NetworkPlan plan, PrivateDir dir, boolean overlay, Consumer<String> verbose)
            throws Exception {
        NamespaceThread namespace = null;
        try {
            namespace = NamespaceThread.enter(LibC.CLONE_NEWNET | LibC.CLONE_NEWNS);
            verbose.accept("entered new network and mount namespaces");
            Path resolvConf = dir.writeReadable("resolv.conf",
                    ("nameserver " + plan.gatewayV4().getHostAddress() + "\n").getBytes(StandardCharsets.US_ASCII));
            TunDevice tun = namespace.call(() -> {
                Overlay.makePrivate();
                TunDevice device = TunDevice.create(plan.tunName());
                InterfaceSetup.apply(plan);
                allowUnprivilegedPing(verbose);
                if (overlay && Overlay.bindReadOnly(resolvConf, Path.of("/etc/resolv.conf"))) {
                    verbose.accept("mounted " + resolvConf + " over /etc/resolv.conf");
                }
                return device;
            });
            verbose.accept("created " + plan.tunName() + " with " + plan.childV4().getHostAddress() + "/"
                    + plan.prefixV4() + " and " + plan.childV6().getHostAddress() + "/" + plan.prefixV6());
            return new Sandbox(plan, dir, namespace, tun, overlay, verbose);
        } catch (Exception | Error e) {
            if (namespace != null) {
                namespace.close();
            }
            throw e;
        }
    }

    /**
     * Lets the child open ICMP datagram sockets. Inside a user namespace only mapped groups are
     * accepted, so the full range falls back to group 0, which is what the child's group maps to.
     */
    private static void allowUnprivilegedPing(Consumer<String> verbose) {
        for (String range : new String[] {"0 2147483647", "0 0"}) {
            try (FileOutputStream out = new FileOutputStream("/proc/sys/net/ipv4/ping_group_range")) {
                out.write((range + "\n").getBytes(StandardCharsets.US_ASCII));
                return;
            } catch (IOException e) {
                verbose.accept("ping_group_range " + range + ": " + e.getMessage());
            }
        }
    }

    public NetworkPlan plan() {
        return plan;
    }

    public TunDevice tun() {
        return tun;
    }

    public PrivateDir dir() {
        return dir;
    }

    /** Runs work inside the namespaces, e.g. creating the listening sockets. */
    public <T> T inside(Callable<T> work) throws Exception {
        return namespace.call(work);
    }

    /**
     * Opens the kernel fast path for the child's TCP ({@link SynGate}) towards the listener on ports
     * {@code firstListenPort} to {@code lastListenPort}; throws, leaving no rule behind, when this
     * system cannot have it.
     */
    public NetfilterQueue openSynGate(int firstListenPort, int lastListenPort, int refusedMark, int unreachableMark)
            throws Exception {
        return namespace.call(() -> SynGate.install(plan, firstListenPort + "-" + lastListenPort, refusedMark,
                unreachableMark));
    }

    /** Lays {@code source} read-only over each existing target (no-op with --no-overlay). */
    public void overlay(Path source, List<Path> targets) throws Exception {
        if (!overlay) {
            return;
        }
        namespace.call(() -> {
            for (Path target : targets) {
                if (Overlay.bindReadOnly(source, target)) {
                    verbose.accept("mounted " + source + " over " + target);
                }
            }
            return null;
        });
    }

    /** Starts the child inside the namespaces with the terminal and standard streams of jtap. */
    public Process spawn(List<String> commandLine, Map<String, String> environment) throws Exception {
        return namespace.call(() -> {
            ProcessBuilder builder = new ProcessBuilder(commandLine).inheritIO();
            builder.environment().putAll(environment);
            return builder.start();
        });
    }

    @Override
    public void close() {
        tun.close();
        namespace.close();
    }
}
