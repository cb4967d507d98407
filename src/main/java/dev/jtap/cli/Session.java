package dev.jtap.cli;

import dev.jtap.linux.LibC;
import dev.jtap.record.ConsoleSink;
import dev.jtap.record.Recorder;
import dev.jtap.sandbox.ChildIdentity;
import dev.jtap.sandbox.NetworkPlan;
import dev.jtap.sandbox.PrivateDir;
import dev.jtap.sandbox.Sandbox;
import sun.misc.Signal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** One run of jtap: sandbox up, child started, signals forwarded, everything torn down. */
final class Session {
    private static final long TERMINATE_GRACE_MILLIS = 5_000;

    private final Options options;
    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile int stopSignal;
    private volatile ChildProcess child;
    private final long startNanos = System.nanoTime();

    Session(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws Exception {
        TlsSetup tls = TlsSetup.begin(options); // first: the child's start waits for the CA
        NetworkPlan plan = NetworkPlan.of(options.tun, options.subnet, options.gateway);
        ChildIdentity identity = identity();
        installSignalHandlers();
        PrivateDir dir = PrivateDir.create();
        tls.writeTrustFilesInto(dir);
        try {
            return runInSandbox(plan, identity, dir, tls);
        } finally {
            tls.awaitFiles();
            dir.close();
        }
    }

    private int runInSandbox(NetworkPlan plan, ChildIdentity identity, PrivateDir dir, TlsSetup tls)
            throws Exception {
        Recorder recorder = new Recorder(List.of(new ConsoleSink(out, colorWanted(), options.head, options.body)), System.err);
        try (Captures captures = Captures.open(options, out, recorder);
             PacketPlane packets = PacketPlane.prepare();
             Sandbox sandbox = Sandbox.create(plan, dir, !options.noOverlay, this::verbose)) {
            String namespace = sandbox.inside(dev.jtap.linux.NamespaceThread::currentNetworkNamespace);
            try {
                packets.open(sandbox, options, this::verbose);
                Map<String, String> trustEnvironment = tls.inject(sandbox, options, this::verbose);
                packets.start(sandbox, options, tls.interception(options, recorder, out::println),
                        captures, out, this::verbose);
                return runChild(sandbox, identity, trustEnvironment, tls);
            } finally {
                new NamespaceReaper(namespace).endAll();
                packets.close(); // its last flow events reach the sinks before they close
                verbose(packets.statistics());
                recorder.close();
            }
        }
    }

    private boolean colorWanted() {
        return out == System.out && System.console() != null && System.console().isTerminal()
                && System.getenv("NO_COLOR") == null;
    }

    private int runChild(Sandbox sandbox, ChildIdentity identity, Map<String, String> trustEnvironment,
                         TlsSetup tls) throws Exception {
        List<String> commandLine = identity.wrap(command(), !options.noNewUserNamespace);
        verbose("starting " + String.join(" ", commandLine));
        Map<String, String> environment = childEnvironment();
        environment.putAll(trustEnvironment);
        child = new ChildProcess(sandbox.spawn(commandLine, environment));
        tls.loadUpstreamTrust(); // after the spawn: the child's start must not wait for it
        int status = child.waitForExit();
        verbose("command exited with status " + status);
        if (!options.noExit) {
            return status;
        }
        verbose("--no-exit: waiting for SIGINT or SIGTERM");
        stopRequested.await();
        return 128 + stopSignal;
    }

    private ChildIdentity identity() throws Exception {
        if (options.user == null) {
            return ChildIdentity.caller();
        }
        if (!options.noNewUserNamespace) {
            throw new UserError("--user needs real root and --no-new-user-namespace (the launcher adds it)");
        }
        return ChildIdentity.user(options.user);
    }

    private List<String> command() {
        if (!options.command.isEmpty()) {
            return options.command;
        }
        String shell = System.getenv("SHELL");
        return new ArrayList<>(List.of(shell == null || shell.isBlank() ? "/bin/sh" : shell));
    }

    private Map<String, String> childEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("JTAP", "1");
        return environment;
    }

    private void installSignalHandlers() {
        for (String name : List.of("INT", "TERM", "HUP")) {
            Signal.handle(new Signal(name), this::onSignal);
        }
    }

    private void onSignal(Signal signal) {
        ChildProcess running = child;
        if (running != null && running.alive()) {
            if (signal.getName().equals("INT") && LibC.ownsTerminal(0)) {
                return; // the terminal delivered this Ctrl+C to the child as well
            }
            if (signal.getName().equals("INT")) {
                running.signal(signal.getNumber());
            } else {
                Thread.ofPlatform().daemon(true).start(() -> {
                    try {
                        running.end(signal.getNumber(), TERMINATE_GRACE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            return;
        }
        stopSignal = signal.getNumber();
        stopRequested.countDown();
    }

    void verbose(String message) {
        if (options.verbose) {
            long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
            out.println("jtap: [" + elapsedMillis + " ms] " + message);
        }
    }
}
