package dev.jtap.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Extracts SNI and ALPN from the first bytes of a TLS connection without consuming them.
 *
 * <p>The ClientHello handshake message may be fragmented over several consecutive handshake
 * records; they are reassembled here. Input beyond the ClientHello is ignored.
 */
public final class ClientHelloParser {

    /** Upper bound on the bytes we are prepared to buffer while looking for a ClientHello. */
    public static final int MAX_BYTES = 64 * 1024;

    public static final Result NEED_MORE = Result.NEED_MORE;
    public static final Result NOT_TLS = Result.NOT_TLS;

    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE_HEADER = 4;
    private static final int CONTENT_TYPE_HANDSHAKE = 22;
    private static final int HANDSHAKE_CLIENT_HELLO = 1;
    private static final int MAX_RECORD_PAYLOAD = (1 << 14) + 2048;
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;

    /** Outcome of {@link #parse(ByteBuffer)}. */
    public sealed interface Result permits NeedMore, NotTls, Malformed, ClientHello {
        Result NEED_MORE = new NeedMore();
        Result NOT_TLS = new NotTls();
    }

    /** The input ends before the ClientHello does; call again with more bytes. */
    public record NeedMore() implements Result {}

    /** The first bytes are not a TLS handshake record. */
    public record NotTls() implements Result {}

    /** It starts like TLS but is not a well-formed ClientHello. */
    public record Malformed(String reason) implements Result {}

    /** A complete ClientHello; {@code serverName} is null when no SNI host name was sent. */
    public record ClientHello(String serverName, List<String> alpnProtocols) implements Result {
        public ClientHello {
            alpnProtocols = List.copyOf(alpnProtocols);
        }
    }

    private ClientHelloParser() {}

    /** True when the first three bytes look like a TLS handshake record (false if fewer). */
    public static boolean looksLikeTls(ByteBuffer data) {
        int p = data.position();
        if (data.limit() - p < 3) {
            return false;
        }
        return (data.get(p) & 0xff) == CONTENT_TYPE_HANDSHAKE
                && (data.get(p + 1) & 0xff) == 3
                && (data.get(p + 2) & 0xff) <= 4;
    }

    /** Parses the bytes between position and limit; never modifies the buffer, never throws. */
    public static Result parse(ByteBuffer data) {
        try {
            return parseRecords(Objects.requireNonNull(data).duplicate());
        } catch (RuntimeException e) {
            return new Malformed("unexpected parser failure: " + e);
        }
    }

    private static Result parseRecords(ByteBuffer in) {
        int start = in.position();
        int available = in.limit() - start;
        if (available >= 1 && (in.get(start) & 0xff) != CONTENT_TYPE_HANDSHAKE) {
            return NOT_TLS;
        }
        if (available >= 2 && (in.get(start + 1) & 0xff) != 3) {
            return NOT_TLS;
        }
        // The reassembled handshake message can never be longer than the input.
        byte[] handshake = new byte[Math.min(available, MAX_BYTES)];
        int collected = 0;
        int offset = start;
        while (true) {
            if (offset - start >= MAX_BYTES) {
                return new Malformed("ClientHello exceeds " + MAX_BYTES + " bytes");
            }
            if (in.limit() - offset < RECORD_HEADER) {
                return NEED_MORE;
            }
            int type = in.get(offset) & 0xff;
            int major = in.get(offset + 1) & 0xff;
            int length = in.getShort(offset + 3) & 0xffff;
            if (type != CONTENT_TYPE_HANDSHAKE) {
                return new Malformed("record of type " + type + " inside the ClientHello");
            }
            if (major != 3) {
                return new Malformed("record version major " + major);
            }
            if (length == 0 || length > MAX_RECORD_PAYLOAD) {
                return new Malformed("bad record length " + length);
            }
            int payloadStart = offset + RECORD_HEADER;
            int end = payloadStart + length;
            if (end - start > MAX_BYTES) {
                return new Malformed("ClientHello exceeds " + MAX_BYTES + " bytes");
            }
            // Use whatever part of the record payload has already arrived.
            int copyEnd = Math.min(end, in.limit());
            in.get(payloadStart, handshake, collected, copyEnd - payloadStart);
            collected += copyEnd - payloadStart;

            if (collected >= HANDSHAKE_HEADER) {
                int msgType = handshake[0] & 0xff;
                if (msgType != HANDSHAKE_CLIENT_HELLO) {
                    return new Malformed("first handshake message has type " + msgType);
                }
                int handshakeLength = ((handshake[1] & 0xff) << 16) | ((handshake[2] & 0xff) << 8) | (handshake[3] & 0xff);
                if (handshakeLength + HANDSHAKE_HEADER > MAX_BYTES) {
                    return new Malformed("ClientHello length " + handshakeLength + " exceeds " + MAX_BYTES);
                }
                if (collected >= HANDSHAKE_HEADER + handshakeLength) {
                    return parseBody(new Reader(handshake, HANDSHAKE_HEADER, HANDSHAKE_HEADER + handshakeLength));
                }
            }
            if (copyEnd < end) {
                return NEED_MORE;
            }
            offset = end;
        }
    }

    private static Result parseBody(Reader r) {
        try {
            r.skip(2); // legacy_version
            r.skip(32); // random
            int sessionIdLength = r.u8();
            if (sessionIdLength > 32) {
                return new Malformed("session id length " + sessionIdLength);
            }
            r.skip(sessionIdLength);
            int cipherSuitesLength = r.u16();
            if (cipherSuitesLength < 2 || cipherSuitesLength % 2 != 0) {
                return new Malformed("cipher suites length " + cipherSuitesLength);
            }
            r.skip(cipherSuitesLength);
            int compressionLength = r.u8();
            if (compressionLength < 1) {
                return new Malformed("no compression methods");
            }
            r.skip(compressionLength);
            if (r.remaining() == 0) {
                return new ClientHello(null, List.of());
            }
            Reader extensions = r.slice(r.u16());
            if (r.remaining() != 0) {
                return new Malformed("trailing bytes after extensions");
            }
            return parseExtensions(extensions);
        } catch (Invalid e) {
            return new Malformed(e.getMessage());
        }
    }

    private static Result parseExtensions(Reader r) {
        String serverName = null;
        List<String> alpn = List.of();
        boolean seenSni = false;
        boolean seenAlpn = false;
        while (r.remaining() > 0) {
            int type = r.u16();
            Reader body = r.slice(r.u16());
            if (type == EXT_SERVER_NAME) {
                if (seenSni) {
                    throw new Invalid("duplicate server_name extension");
                }
                seenSni = true;
                serverName = parseServerName(body);
            } else if (type == EXT_ALPN) {
                if (seenAlpn) {
                    throw new Invalid("duplicate ALPN extension");
                }
                seenAlpn = true;
                alpn = parseAlpn(body);
            }
        }
        return new ClientHello(serverName, alpn);
    }

    /** Returns the host name, or null if the list holds no host_name entry. */
    private static String parseServerName(Reader ext) {
        Reader list = ext.slice(ext.u16());
        if (ext.remaining() != 0) {
            throw new Invalid("trailing bytes in server_name extension");
        }
        String hostName = null;
        while (list.remaining() > 0) {
            int nameType = list.u8();
            byte[] name = list.bytes(list.u16());
            if (nameType != 0) {
                continue;
            }
            if (hostName != null) {
                throw new Invalid("more than one SNI host_name");
            }
            if (name.length == 0) {
                throw new Invalid("empty SNI host_name");
            }
            for (byte b : name) {
                if (b < 0x21 || b > 0x7e) {
                    throw new Invalid("SNI host_name contains byte 0x" + Integer.toHexString(b & 0xff));
                }
            }
            hostName = new String(name, StandardCharsets.US_ASCII);
        }
        return hostName;
    }

    private static List<String> parseAlpn(Reader ext) {
        Reader list = ext.slice(ext.u16());
        if (ext.remaining() != 0) {
            throw new Invalid("trailing bytes in ALPN extension");
        }
        List<String> protocols = new ArrayList<>();
        while (list.remaining() > 0) {
            byte[] protocol = list.bytes(list.u8());
            if (protocol.length == 0) {
                throw new Invalid("empty ALPN protocol name");
            }
            protocols.add(new String(protocol, StandardCharsets.ISO_8859_1));
        }
        if (protocols.isEmpty()) {
            throw new Invalid("empty ALPN protocol list");
        }
        return protocols;
    }

    /** Signals malformed input inside the ClientHello body; turned into {@link Malformed}. */
    private static final class Invalid extends RuntimeException {
        Invalid(String what) {
            super(what, null, false, false);
        }
    }

    /** Bounds-checked big-endian reader over a byte array range. */
    private static final class Reader {
        private final byte[] bytes;
        private int pos;
        private final int end;

        Reader(byte[] bytes, int pos, int end) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        private void require(int n) {
            if (n > remaining()) {
                throw new Invalid("ClientHello field overruns its container");
            }
        }

        int u8() {
            require(1);
            return bytes[pos++] & 0xff;
        }

        int u16() {
            require(2);
            int v = ((bytes[pos] & 0xff) << 8) | (bytes[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        void skip(int n) {
            require(n);
            pos += n;
        }

        byte[] bytes(int n) {
            require(n);
            byte[] out = new byte[n];
            System.arraycopy(bytes, pos, out, 0, n);
            pos += n;
            return out;
        }

        Reader slice(int n) {
            require(n);
            Reader r = new Reader(bytes, pos, pos + n);
            pos += n;
            return r;
        }
    }
}
