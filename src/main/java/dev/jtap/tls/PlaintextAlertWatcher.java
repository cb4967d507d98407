package dev.jtap.tls;

import io.netty.buffer.ByteBuf;

/**
 * Follows the TLS records a client sends during the handshake and remembers a fatal alert sent in
 * the clear, as TLS 1.2 clients and TLS 1.3 clients built on OpenSSL do when they reject the
 * server's certificate. BoringSSL (jtap's TLS) cannot read such an alert once it expects encrypted
 * records, so the reason would otherwise be lost. Records may be split anywhere across reads.
 */
public final class PlaintextAlertWatcher {
    private static final int HEADER = 5;
    private static final int ALERT = 21;
    private static final int FATAL = 2;

    private final byte[] header = new byte[HEADER];
    private int headerFilled;
    private int bodyLeft;
    private boolean alertBody;
    private int alertBytesSeen;
    private int alertLevel;
    private String fatalAlert;

    /** Looks at the readable bytes of {@code bytes} without consuming them. */
    public void observe(ByteBuf bytes) {
        for (int i = bytes.readerIndex(), end = bytes.writerIndex(); i < end && fatalAlert == null; ) {
            if (bodyLeft == 0) {
                header[headerFilled++] = bytes.getByte(i++);
                if (headerFilled == HEADER) {
                    headerFilled = 0;
                    bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    alertBody = (header[0] & 0xff) == ALERT && bodyLeft == 2;
                    alertBytesSeen = 0;
                }
            } else if (alertBody) {
                int b = bytes.getByte(i++) & 0xff;
                bodyLeft--;
                if (alertBytesSeen++ == 0) {
                    alertLevel = b;
                } else if (alertLevel == FATAL) {
                    fatalAlert = name(b);
                }
            } else {
                int skip = Math.min(bodyLeft, end - i);
                i += skip;
                bodyLeft -= skip;
            }
        }
    }

    /** The fatal alert seen so far, by its RFC 8446 name, or null. */
    public String fatalAlert() {
        return fatalAlert;
    }

    static String name(int description) {
        return switch (description) {
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 112 -> "unrecognized_name";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            default -> "alert " + description;
        };
    }
}
