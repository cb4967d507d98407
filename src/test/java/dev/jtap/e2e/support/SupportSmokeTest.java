package dev.jtap.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Exercises each support server directly with real host clients (no jtap involved). */
class SupportSmokeTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static TestCa ca;
    @TempDir
    static Path tmp;
    private static String caFile;

    @BeforeAll
    static void createCa() {
        ca = TestCa.create("jtap support smoke CA");
        caFile = ca.writePem(tmp.resolve("test-ca.pem")).toString();
    }

    private static Command.Result curl(String... args) {
        assumeTrue(Command.available("curl"), "curl not installed");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "8"));
        cmd.addAll(List.of(args));
        return Command.run(T, cmd);
    }

    // ---- HTTP ----

    @Test
    void httpRoutesWithCurl() {
        try (TestHttpServer server = TestHttpServer.http()) {
            assertThat(curl(server.url("/text")).out()).isEqualTo(TestHttpServer.TEXT);

            Command.Result bytes = curl(server.url("/bytes/1000003"));
            assertThat(bytes.stdout()).isEqualTo(TestHttpServer.expectedBytes(1000003));
            assertThat(DeterministicBytes.sha256(bytes.stdout())).isEqualTo(TestHttpServer.sha256(1000003));

            for (String enc : List.of("/gzip", "/deflate", "/zstd")) {
                assertThat(curl("--compressed", server.url(enc)).out()).as(enc).isEqualTo(TestHttpServer.COMPRESSED_JSON);
            }
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", server.url("/status/418")).out()).isEqualTo("418");
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", server.url("/status/204")).out()).isEqualTo("204");

            server.clearRecords();
            Command.Result redirected = curl("-L", "-w", "%{num_redirects}", server.url("/redirect/3"));
            assertThat(redirected.out()).isEqualTo(TestHttpServer.TEXT + "3");
            assertThat(server.requests()).extracting(RecordedRequest::path)
                    .containsExactly("/redirect/3", "/redirect/2", "/redirect/1", "/text");
            assertThat(server.connectionCount()).isEqualTo(1);

            Command.Result echo = curl("-D", "-", "-H", "Content-Type: application/x-test", "--data-binary", "ping body",
                    server.url("/echo"));
            assertThat(echo.out()).containsIgnoringCase("content-type: application/x-test").endsWith("\r\n\r\nping body");
            RecordedRequest post = server.requests().getLast();
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.bodySha256()).isEqualTo(DeterministicBytes.sha256("ping body".getBytes(StandardCharsets.UTF_8)));

            assertThat(curl("-H", "X-Test: yes", server.url("/headers")).out())
                    .contains("\"x-test\":\"yes\"").contains("\"host\":\"127.0.0.1:" + server.port() + "\"");
        }
    }

    @Test
    void filesRouteServesOnlyWhatIsUnderItsRoot() throws IOException {
        Path root = java.nio.file.Files.createDirectories(tmp.resolve("files-root/sub"));
        java.nio.file.Files.writeString(root.resolve("a.bin"), "payload");
        java.nio.file.Files.writeString(root.resolve("index.html"), "<p>index</p>");
        java.nio.file.Files.writeString(tmp.resolve("secret.txt"), "outside the root");
        try (TestHttpServer server = TestHttpServer.builder().files(tmp.resolve("files-root")).start();
             TestHttpServer none = TestHttpServer.http()) {
            assertThat(curl(server.url("/files/sub/a.bin")).out()).isEqualTo("payload");
            assertThat(curl(server.url("/files/sub/")).out()).isEqualTo("<p>index</p>");
            assertThat(curl("-w", "|%{http_code}", server.url("/files/sub/a.bin?service=x")).out()).isEqualTo("payload|200");
            for (String escape : List.of("/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/sub/missing")) {
                assertThat(curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", server.url(escape)).out())
                        .as(escape).isEqualTo("404");
            }
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", none.url("/files/sub/a.bin")).out()).isEqualTo("404");
        }
    }

    @Test
    void keepAliveReusesOneConnection() {
        try (TestHttpServer server = TestHttpServer.http()) {
            Command.Result r = curl(server.url("/text"), server.url("/bytes/10"), server.url("/text"));
            assertThat(r.exitCode()).isZero();
            assertThat(server.requests()).hasSize(3);
            assertThat(server.connectionCount()).isEqualTo(1);
            assertThat(server.requests().getFirst().protocol()).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void largeBodyIsStreamed() {
        try (TestHttpServer server = TestHttpServer.http()) {
            long n = 256L * 1024 * 1024;
            Command.Result r = curl("-o", "/dev/null", "-w", "%{size_download}", server.url("/bytes/" + n));
            assertThat(r.out()).isEqualTo(Long.toString(n));
        }
    }

    @Test
    void sseSlowAndFailureRoutes() {
        try (TestHttpServer server = TestHttpServer.http()) {
            long start = System.nanoTime();
            Command.Result sse = curl("-N", server.url("/sse?n=3&ms=100"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(sse.out()).isEqualTo(Routes.sseEvent(1) + Routes.sseEvent(2) + Routes.sseEvent(3));

            assertThat(curl(server.url("/slow?ms=200")).out()).isEqualTo("slow response after 200 ms\n");

            Command.Result reset = curl("-o", "/dev/null", server.url("/reset-mid-body"));
            assertThat(reset.exitCode()).as(reset.toString()).isIn(18, 56);

            Command.Result closed = curl(server.url("/close-before-response"));
            assertThat(closed.exitCode()).as(closed.toString()).isEqualTo(52);

            Command.Result stalled = curl("--max-time", "1", server.url("/stall"));
            assertThat(stalled.exitCode()).as(stalled.toString()).isEqualTo(28);
        }
    }

    @Test
    void httpsWithCacertAndAlpn() {
        try (TestHttpServer h1 = TestHttpServer.https(ca, "localhost", "127.0.0.1");
             TestHttpServer h2 = TestHttpServer.https2(ca, "localhost", "127.0.0.1")) {
            Command.Result r = curl("--cacert", caFile, "-w", "|%{http_version}", h1.url("/text"));
            assertThat(r.out()).as(r.toString()).isEqualTo(TestHttpServer.TEXT + "|1.1");
            assertThat(curl("--cacert", caFile, "--http2", "-w", "|%{http_version}", h1.url("localhost", "/text")).out())
                    .isEqualTo(TestHttpServer.TEXT + "|1.1");

            Command.Result r2 = curl("--cacert", caFile, "--http2", "-w", "|%{http_version}", h2.url("/text"));
            assertThat(r2.out()).as(r2.toString()).isEqualTo(TestHttpServer.TEXT + "|2");
            Command.Result bytes = curl("--cacert", caFile, "--http2", h2.url("/bytes/300000"));
            assertThat(bytes.stdout()).isEqualTo(TestHttpServer.expectedBytes(300000));
            Command.Result echo = curl("--cacert", caFile, "--http2", "--data-binary", "h2 body", h2.url("/echo"));
            assertThat(echo.out()).isEqualTo("h2 body");
            assertThat(curl("--cacert", caFile, "--http2", "-N", h2.url("/sse?n=2&ms=10")).out())
                    .isEqualTo(Routes.sseEvent(1) + Routes.sseEvent(2));
            assertThat(h2.requests()).extracting(RecordedRequest::protocol).containsOnly("HTTP/2");
            assertThat(h2.requests()).allMatch(RecordedRequest::tls);

            Command.Result untrusted = curl(h1.url("/text"));
            assertThat(untrusted.exitCode()).isEqualTo(60);
        }
    }

    @Test
    void h2cPriorKnowledgeAndHttp1OnSamePort() {
        try (TestHttpServer server = TestHttpServer.h2c()) {
            Command.Result r = curl("--http2-prior-knowledge", "-w", "|%{http_version}", server.url("/text"));
            assertThat(r.out()).as(r.toString()).isEqualTo(TestHttpServer.TEXT + "|2");
            assertThat(curl("--http2-prior-knowledge", server.url("/bytes/70000")).stdout())
                    .isEqualTo(TestHttpServer.expectedBytes(70000));
            assertThat(curl("-w", "|%{http_version}", server.url("/text")).out()).isEqualTo(TestHttpServer.TEXT + "|1.1");
            Command.Result closed = curl("--http2-prior-knowledge", server.url("/close-before-response"));
            assertThat(closed.exitCode()).isNotZero();
        }
    }

    @Test
    void ipv6Binding() {
        try (TestHttpServer server = TestHttpServer.builder().bindIpv6().start()) {
            assertThat(server.url("/text")).startsWith("http://[::1]:");
            assertThat(curl("-g", server.url("/text")).out()).isEqualTo(TestHttpServer.TEXT);
        }
    }

    @Test
    void webSocketEchoWithJdkClient() throws Exception {
        try (TestHttpServer server = TestHttpServer.http()) {
            LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
            WebSocket.Listener listener = new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();
                private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        events.add(text.toString());
                        text.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    binary.writeBytes(b);
                    if (last) {
                        events.add(binary.toByteArray());
                        binary.reset();
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
                    events.add("pong:" + StandardCharsets.UTF_8.decode(message));
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                    events.add("close:" + statusCode);
                    return null;
                }
            };
            try (HttpClient client = HttpClient.newHttpClient()) {
                WebSocket ws = client.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), listener)
                        .get(5, TimeUnit.SECONDS);
                ws.sendText("hello ws", true).get(5, TimeUnit.SECONDS);
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("hello ws");
                byte[] payload = TestHttpServer.expectedBytes(100_000);
                ws.sendBinary(ByteBuffer.wrap(payload), true).get(5, TimeUnit.SECONDS);
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(payload);
                ws.sendPing(ByteBuffer.wrap("p1".getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("pong:p1");
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("close:1000");
            }
            assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/ws");
        }
    }

    @Test
    void webSocketNegotiatesPermessageDeflate() throws IOException {
        try (TestHttpServer server = TestHttpServer.http();
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            String upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
            socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("sec-websocket-extensions: permessage-deflate");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    // ---- TLS context sanity (JDK client, no curl) ----

    @Test
    void jdkServerContextHandshakes() throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) ca.serverContext("localhost", "127.0.0.1")
                .getServerSocketFactory().createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b + 1);
                    return "ok";
                } catch (IOException e) {
                    return e.toString();
                }
            });
            try (SSLSocket client = (SSLSocket) ca.clientContext().getSocketFactory()
                    .createSocket("127.0.0.1", server.getLocalPort())) {
                var params = client.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(params);
                client.getOutputStream().write(41);
                assertThat(client.getInputStream().read()).isEqualTo(42);
            }
            assertThat(served.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        }
    }

    // ---- DNS ----

    private static TestDnsServer zone() {
        return TestDnsServer.start()
                .a("app.test", "127.0.0.1")
                .aaaa("app.test", "::1")
                .txt("app.test", "v=test1")
                .mx("app.test", 10, "mail.app.test")
                .srv("_http._tcp.app.test", 1, 5, 8080, "app.test")
                .cname("www.app.test", "alias.app.test")
                .cname("alias.app.test", "app.test")
                .servfail("broken.test")
                .silent("blackhole.test");
    }

    private static Message ask(TestDnsServer dns, String name, int type, boolean tcp) throws IOException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dns.port()));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    @Test
    void dnsAnswersWithDnsjavaResolver() throws IOException {
        try (TestDnsServer dns = zone()) {
            assertThat(dns.dnsArg()).isEqualTo("127.0.0.1:" + dns.port());
            Message a = ask(dns, "app.test", Type.A, false);
            assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(a.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("127.0.0.1");
            assertThat(ask(dns, "APP.test", Type.AAAA, false).getSection(Section.ANSWER))
                    .extracting(r -> ((AAAARecord) r).getAddress()).containsExactly(InetAddress.getByName("::1"));
            assertThat(ask(dns, "app.test", Type.TXT, false).getSection(Section.ANSWER))
                    .extracting(Record::rdataToString).containsExactly("\"v=test1\"");
            assertThat(ask(dns, "app.test", Type.MX, false).getSection(Section.ANSWER))
                    .extracting(Record::rdataToString).containsExactly("10 mail.app.test.");
            assertThat(ask(dns, "_http._tcp.app.test", Type.SRV, true).getSection(Section.ANSWER))
                    .extracting(Record::rdataToString).containsExactly("1 5 8080 app.test.");
            Message chain = ask(dns, "www.app.test", Type.A, false);
            assertThat(chain.getSection(Section.ANSWER)).extracting(Record::getType)
                    .containsExactly(Type.CNAME, Type.CNAME, Type.A);
            assertThat(ask(dns, "nothing.test", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
            Message noData = ask(dns, "_http._tcp.app.test", Type.A, false);
            assertThat(noData.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(noData.getSection(Section.ANSWER)).isEmpty();
            assertThat(ask(dns, "broken.test", Type.A, true).getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(dns.queries()).contains(
                    new TestDnsServer.Query("app.test.", Type.A, TestDnsServer.Transport.UDP),
                    new TestDnsServer.Query("_http._tcp.app.test.", Type.SRV, TestDnsServer.Transport.TCP),
                    new TestDnsServer.Query("broken.test.", Type.A, TestDnsServer.Transport.TCP));
        }
    }

    @Test
    void dnsSilentNameNeverAnswers() throws IOException {
        try (TestDnsServer dns = zone(); DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(300);
            byte[] q = Message.newQuery(Record.newRecord(Name.fromString("blackhole.test."), Type.A, DClass.IN)).toWire();
            socket.send(new DatagramPacket(q, q.length, InetAddress.getByName("127.0.0.1"), dns.port()));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            boolean timedOut = false;
            try {
                socket.receive(reply);
            } catch (SocketTimeoutException e) {
                timedOut = true;
            }
            assertThat(timedOut).isTrue();
            assertThat(dns.queries()).extracting(TestDnsServer.Query::name).containsExactly("blackhole.test.");
        }
    }

    @Test
    void dnsTruncatesLargeUdpAnswersUnlessEdnsAllows() throws IOException {
        try (TestDnsServer dns = TestDnsServer.start(); DatagramSocket socket = new DatagramSocket()) {
            for (int i = 1; i <= 60; i++) {
                dns.a("many.test", "10.0.0." + i);
            }
            socket.setSoTimeout(2000);
            Message plain = Message.newQuery(Record.newRecord(Name.fromString("many.test."), Type.A, DClass.IN));
            plain.getHeader().setID(4242);
            Message viaUdp = udpExchange(socket, dns, plain);
            assertThat(viaUdp.getHeader().getID()).isEqualTo(4242);
            assertThat(viaUdp.getHeader().getFlag(Flags.TC)).isTrue();
            assertThat(viaUdp.getHeader().getFlag(Flags.RD)).isTrue();
            assertThat(viaUdp.getOPT()).isNull();

            Message edns = Message.newQuery(Record.newRecord(Name.fromString("many.test."), Type.A, DClass.IN));
            edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
            Message big = udpExchange(socket, dns, edns);
            assertThat(big.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(big.getOPT()).isNotNull();
            assertThat(big.getSection(Section.ANSWER)).hasSize(60);

            assertThat(ask(dns, "many.test", Type.A, true).getSection(Section.ANSWER)).hasSize(60);
        }
    }

    private static Message udpExchange(DatagramSocket socket, TestDnsServer dns, Message query) throws IOException {
        byte[] q = query.toWire();
        socket.send(new DatagramPacket(q, q.length, InetAddress.getByName("127.0.0.1"), dns.port()));
        DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
        socket.receive(reply);
        assertThat(reply.getLength()).isLessThanOrEqualTo(query.getOPT() == null ? 512 : 4096);
        byte[] data = new byte[reply.getLength()];
        System.arraycopy(reply.getData(), 0, data, 0, data.length);
        return new Message(data);
    }

    @Test
    void dnsWithDig() {
        assumeTrue(Command.available("dig"), "dig not installed");
        try (TestDnsServer dns = zone()) {
            String port = Integer.toString(dns.port());
            assertThat(Command.run(T, "dig", "@127.0.0.1", "-p", port, "+short", "app.test", "A").out().strip())
                    .isEqualTo("127.0.0.1");
            assertThat(Command.run(T, "dig", "@127.0.0.1", "-p", port, "+short", "+tcp", "app.test", "MX").out().strip())
                    .isEqualTo("10 mail.app.test.");
            assertThat(Command.run(T, "dig", "@127.0.0.1", "-p", port, "nothing.test").out()).contains("NXDOMAIN");
        }
    }

    // ---- echo servers ----

    @Test
    void udpEchoWithPython() {
        assumeTrue(Command.available("python3"), "python3 not installed");
        try (UdpEchoServer echo = UdpEchoServer.start("echo:")) {
            String script = "import socket,sys\n"
                    + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(3)\n"
                    + "s.sendto(b'ping',('127.0.0.1',int(sys.argv[1])))\n"
                    + "sys.stdout.write(s.recv(100).decode())\n";
            Command.Result r = Command.run(T, "python3", "-c", script, Integer.toString(echo.port()));
            assertThat(r.out()).as(r.toString()).isEqualTo("echo:ping");
            assertThat(echo.datagrams()).isEqualTo(1);
        }
    }

    @Test
    void tcpEchoModes() throws IOException {
        try (TcpEchoServer echo = TcpEchoServer.start();
             TcpEchoServer greeting = TcpEchoServer.start(TcpEchoServer.Mode.GREETING);
             TcpEchoServer halfClose = TcpEchoServer.start(TcpEchoServer.Mode.HALF_CLOSE)) {
            assertThat(exchange(echo, "abc")).isEqualTo("abc");
            assertThat(exchange(greeting, "abc")).isEqualTo("HELLO\nabc");
            assertThat(exchange(halfClose, "abc")).isEqualTo("abc" + TcpEchoServer.FAREWELL);
            assertThat(echo.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void tcpHalfCloseWithPython() {
        assumeTrue(Command.available("python3"), "python3 not installed");
        try (TcpEchoServer server = TcpEchoServer.start(TcpEchoServer.Mode.HALF_CLOSE)) {
            String script = "import socket,sys\n"
                    + "s=socket.create_connection(('127.0.0.1',int(sys.argv[1])),timeout=3)\n"
                    + "s.sendall(b'data'); s.shutdown(socket.SHUT_WR)\n"
                    + "buf=b''\n"
                    + "while True:\n"
                    + "  c=s.recv(100)\n"
                    + "  if not c: break\n"
                    + "  buf+=c\n"
                    + "sys.stdout.write(buf.decode())\n";
            Command.Result r = Command.run(T, "python3", "-c", script, Integer.toString(server.port()));
            assertThat(r.out()).as(r.toString()).isEqualTo("dataBYE\n");
        }
    }

    /** Sends {@code text}, half-closes, and reads until the server closes. */
    private static String exchange(TcpEchoServer server, String text) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
