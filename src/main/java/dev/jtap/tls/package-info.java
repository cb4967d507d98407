/**
 * TLS interception for jtap: recognising a TLS ClientHello on a raw connection, the
 * certificate authority that is created for (or persisted by) jtap, the leaf certificates
 * it mints on demand, the server-side engines presented to the traced program, the trust
 * jtap itself uses for its upstream connections, and the files that make only the traced
 * program trust the jtap CA. It owns everything that touches keys, certificates and trust
 * stores so that the proxy and namespace code never deal with X.509 details directly. TLS
 * itself runs in BoringSSL (netty-tcnative) where it loads, else in the JDK's provider.
 */
package dev.jtap.tls;
