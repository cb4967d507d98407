package dev.jtap.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Server key manager whose aliases are host names: it answers with the minted leaf for the
 * host the engine was created for, falling back to the SNI name the client requested.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private final LeafCertificates leaves;

    SniKeyManager(LeafCertificates leaves) {
        this.leaves = leaves;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (!"EC".equals(keyType) || engine == null) {
            return null;
        }
        String host = engine.getPeerHost();
        if (host == null) {
            host = requestedServerName(engine.getHandshakeSession());
        }
        return host;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null; // only engines are supported
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        try {
            return leaves.leafFor(alias).chain().clone();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return leaves.sharedKey();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    private static String requestedServerName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            List<SNIServerName> names = extended.getRequestedServerNames();
            for (SNIServerName name : names) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }
}
