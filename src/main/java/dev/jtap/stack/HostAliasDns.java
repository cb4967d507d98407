package dev.jtap.stack;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Answers DNS queries for the host alias names ({@code host.jtap.local}, httptap's
 * {@code host.httptap.local}) without asking any resolver: A gives the IPv4 alias, AAAA the IPv6
 * alias, other types an empty answer. Every other query is forwarded unchanged.
 */
final class HostAliasDns {
    static final Set<String> NAMES = Set.of("host.jtap.local", "host.httptap.local");
    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;
    private static final int CLASS_IN = 1;
    private static final int HEADER = 12;
    private static final int TTL = 60;

    private final byte[] aliasV4;
    private final byte[] aliasV6;

    HostAliasDns(InetAddress aliasV4, InetAddress aliasV6) {
        this.aliasV4 = aliasV4.getAddress();
        this.aliasV6 = aliasV6.getAddress();
    }

    /**
     * Writes the answer to {@code query} (its position to limit) into {@code out} and returns
     * true, or returns false when the query is not for an alias name and must be forwarded.
     */
    boolean answer(ByteBuffer query, ByteBuffer out) {
        int start = query.position();
        int length = query.remaining();
        if (length < HEADER + 5 || (query.get(start + 2) & 0x80) != 0 || u16(query, start + 4) != 1) {
            return false;
        }
        StringBuilder name = new StringBuilder();
        int at = start + HEADER;
        int end = start + length;
        while (true) {
            if (at >= end) {
                return false;
            }
            int label = query.get(at++) & 0xff;
            if (label == 0) {
                break;
            }
            if (label > 63 || at + label > end || name.length() > 255) {
                return false;
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            byte[] bytes = new byte[label];
            query.get(at, bytes);
            name.append(new String(bytes, StandardCharsets.US_ASCII));
            at += label;
        }
        if (at + 4 > end || !NAMES.contains(name.toString().toLowerCase(Locale.ROOT))) {
            return false;
        }
        int type = u16(query, at);
        int questionEnd = at + 4;
        byte[] address = type == TYPE_A ? aliasV4 : type == TYPE_AAAA ? aliasV6 : null;
        out.clear();
        ByteBuffer question = query.duplicate().position(start).limit(questionEnd);
        out.put(question);
        out.put(2, (byte) (0x80 | (query.get(start + 2) & 0x01) | 0x04)); // QR, AA, RD copied
        out.put(3, (byte) 0x80); // RA, NOERROR
        out.putShort(6, (short) (address == null ? 0 : 1));
        out.putShort(8, (short) 0);
        out.putShort(10, (short) 0);
        if (address != null) {
            out.putShort((short) 0xc00c); // pointer to the question name
            out.putShort((short) type);
            out.putShort((short) CLASS_IN);
            out.putInt(TTL);
            out.putShort((short) address.length);
            out.put(address);
        }
        out.flip();
        return true;
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }
}
