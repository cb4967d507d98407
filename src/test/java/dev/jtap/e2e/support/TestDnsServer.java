package dev.jtap.e2e.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative-style DNS server on 127.0.0.1, UDP and TCP on the same port, answering
 * from an in-memory record set. Unknown names get NXDOMAIN; names can be made to fail
 * ({@link #servfail}) or to never answer ({@link #silent}).
 */
public final class TestDnsServer implements AutoCloseable {

    public static final long TTL = 60;
    private static final int UDP_LIMIT_WITHOUT_EDNS = 512;
    private static final int OUR_EDNS_PAYLOAD = 1232;
    private static final int MAX_CNAME_HOPS = 8;

    public enum Transport { UDP, TCP }

    /** One received question. {@code name} is lower-case and fully qualified (trailing dot). */
    public record Query(String name, int type, Transport transport) {
        public String typeName() {
            return Type.string(type);
        }

        @Override
        public String toString() {
            return name + " " + typeName() + " " + transport;
        }
    }

    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final Set<Socket> tcpClients = ConcurrentHashMap.newKeySet();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private volatile boolean closed;

    private TestDnsServer() throws IOException {
        Sockets sockets = bindSamePort();
        this.udp = sockets.udp();
        this.tcp = sockets.tcp();
        start("test-dns-udp", this::udpLoop);
        start("test-dns-tcp", this::tcpAcceptLoop);
    }

    private record Sockets(DatagramSocket udp, ServerSocket tcp) {
    }

    /** Binds UDP on an ephemeral port, then TCP on the same number; retries if TCP's is taken. */
    private static Sockets bindSamePort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            DatagramSocket u = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket t = new ServerSocket();
                try {
                    t.bind(new InetSocketAddress(loopback, u.getLocalPort()), 50);
                } catch (IOException e) {
                    t.close();
                    throw e;
                }
                return new Sockets(u, t);
            } catch (IOException e) {
                u.close();
                last = e;
            }
        }
        throw last;
    }

    public static TestDnsServer start() {
        try {
            return new TestDnsServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** The value for jtap's {@code --dns} flag: {@code 127.0.0.1:PORT}. */
    public String dnsArg() {
        return "127.0.0.1:" + port();
    }

    // ---- zone content ----

    public TestDnsServer add(Record record) {
        zone.computeIfAbsent(record.getName().canonicalize(), n -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    public TestDnsServer a(String name, String ipv4) {
        return add(new ARecord(name(name), DClass.IN, TTL, address(ipv4)));
    }

    public TestDnsServer aaaa(String name, String ipv6) {
        return add(new AAAARecord(name(name), DClass.IN, TTL, address(ipv6)));
    }

    public TestDnsServer txt(String name, String text) {
        return add(new TXTRecord(name(name), DClass.IN, TTL, text));
    }

    public TestDnsServer mx(String name, int priority, String target) {
        return add(new MXRecord(name(name), DClass.IN, TTL, priority, name(target)));
    }

    public TestDnsServer srv(String name, int priority, int weight, int port, String target) {
        return add(new SRVRecord(name(name), DClass.IN, TTL, priority, weight, port, name(target)));
    }

    public TestDnsServer cname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, TTL, name(target)));
    }

    /** Questions for {@code name} (any type) are answered with SERVFAIL. */
    public TestDnsServer servfail(String name) {
        servfail.add(name(name).canonicalize());
        return this;
    }

    /** Questions for {@code name} (any type) are never answered. */
    public TestDnsServer silent(String name) {
        silent.add(name(name).canonicalize());
        return this;
    }

    /** Every question received so far, in arrival order. */
    public List<Query> queries() {
        return List.copyOf(queries);
    }

    public void clearQueries() {
        queries.clear();
    }

    /** Parses a name, adding the trailing dot if missing. */
    public static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip); // literal only: no lookup happens for IP strings
        } catch (IOException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    // ---- answering ----

    /** Builds the response for a query, or returns null when nothing should be sent. */
    Message answer(Message query, Transport transport) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
            response.getHeader().setFlag(Flags.RA);
        }
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(OUR_EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        Name qname = question.getName().canonicalize();
        int qtype = question.getType();
        queries.add(new Query(qname.toString(), qtype, transport));
        if (silent.contains(qname)) {
            return null;
        }
        response.addRecord(question, Section.QUESTION);
        if (servfail.contains(qname)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        resolve(qname, qtype, response);
        return response;
    }

    private void resolve(Name qname, int qtype, Message response) {
        Name current = qname;
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            List<Record> atName = zone.get(current);
            if (atName == null || atName.isEmpty()) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                return;
            }
            List<Record> matching = new ArrayList<>();
            for (Record r : atName) {
                if (qtype == Type.ANY || r.getType() == qtype) {
                    matching.add(r);
                }
            }
            if (!matching.isEmpty()) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                return;
            }
            Record alias = atName.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (alias == null) {
                return; // NOERROR, no data
            }
            response.addRecord(alias, Section.ANSWER);
            current = ((CNAMERecord) alias).getTarget().canonicalize();
        }
    }

    private byte[] respond(byte[] request, int length, Transport transport) {
        Message query;
        try {
            byte[] copy = new byte[length];
            System.arraycopy(request, 0, copy, 0, length);
            query = new Message(copy);
        } catch (IOException e) {
            return null; // not DNS: drop
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return null;
        }
        Message response = answer(query, transport);
        if (response == null) {
            return null;
        }
        if (transport == Transport.TCP) {
            return response.toWire();
        }
        OPTRecord opt = query.getOPT();
        int limit = opt == null ? UDP_LIMIT_WITHOUT_EDNS
                : Math.max(UDP_LIMIT_WITHOUT_EDNS, Math.min(opt.getPayloadSize(), 65535));
        return response.toWire(limit); // sets TC and drops records when over the limit
    }

    // ---- sockets ----

    private void udpLoop() {
        byte[] buf = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(packet);
                byte[] reply = respond(packet.getData(), packet.getLength(), Transport.UDP);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                // a malformed question must not kill the server
            }
        }
    }

    private void tcpAcceptLoop() {
        while (!closed) {
            try {
                Socket client = tcp.accept();
                tcpClients.add(client);
                start("test-dns-tcp-conn", () -> serveTcp(client));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp(Socket client) {
        try (client;
             DataInputStream in = new DataInputStream(client.getInputStream());
             DataOutputStream out = new DataOutputStream(client.getOutputStream())) {
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException eof) {
                    return;
                }
                byte[] request = in.readNBytes(length);
                if (request.length < length) {
                    return;
                }
                byte[] reply = respond(request, length, Transport.TCP);
                if (reply != null) {
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // connection ends
        } finally {
            tcpClients.remove(client);
        }
    }

    private static void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : tcpClients) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public String toString() {
        return "TestDnsServer[" + dnsArg() + "]";
    }
}
