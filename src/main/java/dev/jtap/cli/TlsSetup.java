package dev.jtap.cli;

import dev.jtap.proxy.Interception;
import dev.jtap.record.Recorder;
import dev.jtap.sandbox.PrivateDir;
import dev.jtap.sandbox.Sandbox;
import dev.jtap.tls.CertificateAuthority;
import dev.jtap.tls.LeafCertificates;
import dev.jtap.tls.TrustInjection;
import dev.jtap.tls.UpstreamTrust;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * jtap's CA and what follows from it: made in the background while the sandbox comes up, injected
 * into the child's trust (files over the system bundles, environment variables), and the
 * {@link Interception} the proxy uses.
 */
final class TlsSetup {
    private final CompletableFuture<CertificateAuthority> ca;
    private final CompletableFuture<TrustInjection> trustFiles;
    private final CompletableFuture<PrivateDir> trustDir;
    private final CompletableFuture<UpstreamTrust> upstreamTrust = new CompletableFuture<>();
    private final Options options;
    private boolean upstreamTrustLoading;

    private TlsSetup(Options options, CompletableFuture<CertificateAuthority> ca, CompletableFuture<TrustInjection> trustFiles,
                     CompletableFuture<PrivateDir> trustDir) {
        this.options = options;
        this.trustDir = trustDir;
        this.ca = ca;
        this.trustFiles = trustFiles;
    }

    /**
     * Starts making the CA on a host-namespace thread, which then writes the child's trust files into
     * the directory {@link #writeTrustFilesInto} names. The trust for upstream TLS is loaded now only
     * when --upstream-ca names files, which must be checked before the child runs.
     */
    static TlsSetup begin(Options options) {
        CompletableFuture<PrivateDir> trustDir = new CompletableFuture<>();
        CompletableFuture<CertificateAuthority> ca = new CompletableFuture<>();
        CompletableFuture<TrustInjection> trustFiles = new CompletableFuture<>();
        Thread.ofPlatform().name("jtap-ca").daemon(true).start(() -> {
            try {
                CertificateAuthority authority = options.caDir != null
                        ? CertificateAuthority.loadOrCreate(options.caDir) : CertificateAuthority.createEphemeral();
                ca.complete(authority);
                trustFiles.complete(TrustInjection.write(authority, Files.createDirectory(trustDir.join().path().resolve("ca"))));
            } catch (Throwable t) {
                ca.completeExceptionally(t);
                trustFiles.completeExceptionally(t);
            }
        });
        TlsSetup setup = new TlsSetup(options, ca, trustFiles, trustDir);
        if (!options.upstreamCa.isEmpty()) {
            setup.loadUpstreamTrust();
        }
        return setup;
    }

    /**
     * Starts loading the trust for upstream TLS (the JDK's and the system's roots: some 100 ms of
     * work that only the first intercepted connection waits for), unless it has started.
     */
    void loadUpstreamTrust() {
        if (!upstreamTrustLoading) {
            upstreamTrustLoading = true;
            Background.completeOnThread(upstreamTrust, "jtap-upstream-trust",
                    () -> UpstreamTrust.load(options.upstreamCa, options.insecure));
        }
    }

    /** Where the trust files go: {@code dir}/ca. */
    void writeTrustFilesInto(PrivateDir dir) {
        trustDir.complete(dir);
    }

    /** Waits until the background thread has stopped writing into the private dir. */
    void awaitFiles() {
        try {
            trustFiles.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            // its failure, if any, was reported by inject()
        }
    }

    /** Lays the trust files over the child's bundles; returns the child's extra environment. */
    Map<String, String> inject(Sandbox sandbox, Options options, Consumer<String> verbose) throws Exception {
        TrustInjection trust = await(trustFiles);
        sandbox.overlay(trust.bundlePem(), TrustInjection.bundleMountTargets());
        sandbox.overlay(trust.trustStore(), TrustInjection.javaTrustStoreMountTargets());
        Map<String, String> environment = new HashMap<>(trust.environment());
        if (options.noOverlay) {
            String existing = System.getenv("JAVA_TOOL_OPTIONS");
            environment.put("JAVA_TOOL_OPTIONS", (existing == null ? "" : existing + " ") + trust.javaToolOptions());
        }
        verbose.accept("CA injected: " + trust.caPem());
        return environment;
    }

    Interception interception(Options options, Recorder recorder, Consumer<String> notice) throws Exception {
        if (!options.upstreamCa.isEmpty()) {
            Background.await(upstreamTrust); // an unreadable --upstream-ca file stops jtap before the child runs
        }
        return new Interception(new LeafCertificates(authority()), upstreamTrust, recorder, options.maxBody,
                new HashSet<>(options.httpPorts), new HashSet<>(options.httpsPorts), notice);
    }

    private CertificateAuthority authority() throws Exception {
        return await(ca);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UserError("cannot set up the CA: " + e.getCause().getMessage());
        }
    }
}
