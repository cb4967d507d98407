package dev.jtap.e2e;

import dev.jtap.e2e.support.Command;
import dev.jtap.e2e.support.RecordedRequest;
import dev.jtap.e2e.support.TcpEchoServer;
import dev.jtap.e2e.support.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.jtap.e2e.PlaneSupport.ALIAS;
import static dev.jtap.e2e.PlaneSupport.ALIAS_V4;
import static dev.jtap.e2e.PlaneSupport.closedPort;
import static dev.jtap.e2e.PlaneSupport.host;
import static dev.jtap.e2e.PlaneSupport.jtap;
import static dev.jtap.e2e.PlaneSupport.quote;
import static dev.jtap.e2e.PlaneSupport.requireTools;
import static dev.jtap.e2e.PlaneSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP side of the packet plane, as a user sees it: bytes arrive whole in both directions,
 * refused ports are refused, half-close and server-speaks-first work, many connections at once,
 * keep-alive is kept, IPv6 reaches the host's ::1, and jtap's own listener is not reachable.
 */
class PacketPlaneIT {

    @Test
    void smallDownloadIsByteExact(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small.bin");
        try (TestHttpServer server = TestHttpServer.http()) {
            Jtap.Result result = jtap(List.of(), "curl", "-sS", "--fail", server.url(ALIAS, "/bytes/10"),
                    "-o", file.toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(PlaneSupport.sha256(file)).isEqualTo(TestHttpServer.sha256(10));
        }
    }

    @Test
    void oneGibibyteDownloadIsByteExact(@TempDir Path dir) throws Exception {
        long size = 1L << 30;
        Path file = dir.resolve("big.bin");
        try (TestHttpServer server = TestHttpServer.http()) {
            Jtap.Result result = jtap(List.of(), Duration.ofMinutes(5), "curl", "-sS", "--fail",
                    server.url(ALIAS, "/bytes/" + size), "-o", file.toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(Files.size(file)).isEqualTo(size);
            assertThat(PlaneSupport.sha256(file)).isEqualTo(TestHttpServer.sha256(size));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void uploadArrivesWhole(@TempDir Path dir) throws Exception {
        byte[] body = new byte[6 * 1024 * 1024 + 17];
        new Random(42).nextBytes(body);
        Path upload = dir.resolve("upload.bin");
        Path echoed = dir.resolve("echoed.bin");
        Files.write(upload, body);
        String expected = PlaneSupport.sha256(upload);
        try (TestHttpServer server = TestHttpServer.http()) {
            // Through sh -c: jtap's picocli would expand a bare "@file" argument (see atFileArgumentsReachTheChild).
            Jtap.Result result = sh("curl -sS --fail --data-binary @" + upload
                    + " -H 'Content-Type: application/octet-stream' " + quote(server.url(ALIAS, "/echo")) + " -o " + echoed);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            List<RecordedRequest> requests = server.requests();
            assertThat(requests).hasSize(1);
            assertThat(requests.getFirst().bodyLength()).isEqualTo(body.length);
            assertThat(requests.getFirst().bodySha256()).isEqualTo(expected);
            assertThat(PlaneSupport.sha256(echoed)).isEqualTo(expected);
        }
    }

    @Test
    void uploadWithCurlTArrivesWhole(@TempDir Path dir) throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 5];
        new Random(7).nextBytes(body);
        Path upload = dir.resolve("put.bin");
        Files.write(upload, body);
        String expected = PlaneSupport.sha256(upload);
        try (TestHttpServer server = TestHttpServer.http()) {
            Jtap.Result result = jtap(List.of(), "curl", "-sS", "--fail", "-T", upload.toString(),
                    server.url(ALIAS, "/echo"), "-o", "/dev/null");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("PUT");
                assertThat(r.bodySha256()).isEqualTo(expected);
            });
        }
    }

    /**
     * The command after {@code --} is the child's, verbatim: an argument starting with '@' must not
     * be expanded as a picocli argument file (curl's {@code --data-binary @file} depends on it).
     */
    @Test
    void atFileArgumentsReachTheChild(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("args.txt");
        Files.writeString(file, "not-an-argument\n");
        Jtap.Result result = jtap(List.of(), "echo", "@" + file);
        assertThat(result.stdout()).as(result.toString()).isEqualTo("@" + file + "\n");
    }

    @Test
    void closedPortIsRefusedLikeOnTheHost() throws Exception {
        requireTools("curl");
        int port = closedPort();
        Command.Result direct = host("curl", "-sS", "http://127.0.0.1:" + port + "/");
        Jtap.Result viaAlias = jtap(List.of(), "curl", "-sS", "http://" + ALIAS + ":" + port + "/");
        Jtap.Result viaAddress = jtap(List.of(), "curl", "-sS", "http://" + ALIAS_V4 + ":" + port + "/");
        assertThat(direct.exitCode()).as(direct.toString()).isEqualTo(7);
        assertThat(viaAlias.exitCode()).as(viaAlias.toString()).isEqualTo(direct.exitCode());
        assertThat(viaAddress.exitCode()).as(viaAddress.toString()).isEqualTo(direct.exitCode());
        assertThat(viaAlias.stderr()).contains("curl: (7)");
    }

    @Test
    void halfCloseDeliversEchoAndFarewell() throws Exception {
        requireTools("nc");
        try (TcpEchoServer server = TcpEchoServer.start(TcpEchoServer.Mode.HALF_CLOSE)) {
            Jtap.Result result = sh("printf 'ping one\\nping two\\n' | nc -N " + ALIAS + " " + server.port());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo("ping one\nping two\n" + TcpEchoServer.FAREWELL);
            assertThat(server.connectionCount()).isEqualTo(1);
        }
    }

    /**
     * Four bytes then FIN: fewer bytes than the connection sniffer needs to decide, so the child's
     * half-close arrives while the sniffer still holds the connection and must still reach upstream.
     */
    @Test
    void halfCloseWithSocat() throws Exception {
        requireTools("socat");
        try (TcpEchoServer server = TcpEchoServer.start(TcpEchoServer.Mode.HALF_CLOSE)) {
            Jtap.Result result = sh("printf 'data' | socat -t 30 - TCP:" + ALIAS + ":" + server.port());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo("data" + TcpEchoServer.FAREWELL);
        }
    }

    /**
     * The server writes 32 MiB and closes while the child reads slowly: its FIN must wait behind the
     * bytes jtap still holds for the child (shutting the child's side at once lost them in a reset).
     */
    @Test
    void serverClosingAfterBulkReachesASlowReaderWhole() throws Exception {
        requireTools("python3");
        try (TcpEchoServer server = TcpEchoServer.start(TcpEchoServer.Mode.BULK_THEN_CLOSE)) {
            String reader = "import hashlib, socket, time\n"
                    + "c = socket.create_connection(('" + ALIAS + "', " + server.port() + "))\n"
                    + "c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)\n"
                    + "h = hashlib.sha256(); n = 0\n"
                    + "while True:\n"
                    + "    b = c.recv(65536)\n"
                    + "    if not b: break\n"
                    + "    h.update(b); n += len(b); time.sleep(0.0005)\n"
                    + "print(n, h.hexdigest())\n";
            Jtap.Result result = jtap(List.of(), "python3", "-c", reader);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            byte[] bulk = TcpEchoServer.bulk();
            assertThat(result.stdout().strip()).isEqualTo(bulk.length + " " + E2e.sha256(bulk));
        }
    }

    @Test
    void serverSpeaksFirst() throws Exception {
        requireTools("python3");
        try (TcpEchoServer server = TcpEchoServer.start(TcpEchoServer.Mode.GREETING)) {
            // Reads the greeting without sending a byte first, then closes.
            String script = "import socket\n"
                    + "s = socket.create_connection(('" + ALIAS + "', " + server.port() + "), timeout=30)\n"
                    + "data = b''\n"
                    + "while len(data) < 6:\n"
                    + "    chunk = s.recv(100)\n"
                    + "    if not chunk: break\n"
                    + "    data += chunk\n"
                    + "print(data.decode(), end='')\n";
            Jtap.Result result = jtap(List.of(), "python3", "-c", script);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo(TcpEchoServer.GREETING);
        }
    }

    @Test
    void serverThatGreetsAndClosesAtOnceIsHeardWhole() throws Exception {
        requireTools("python3");
        try (TcpEchoServer server = TcpEchoServer.start(TcpEchoServer.Mode.GREETING_THEN_CLOSE)) {
            // The greeting and the FIN reach jtap before the child's connection is even accepted.
            String script = "import socket\n"
                    + "for attempt in range(5):\n"
                    + "    s = socket.create_connection(('" + ALIAS + "', " + server.port() + "), timeout=30)\n"
                    + "    data = b''\n"
                    + "    while True:\n"
                    + "        chunk = s.recv(100)\n"
                    + "        if not chunk: break\n"
                    + "        data += chunk\n"
                    + "    print(data.decode(), end='')\n";
            Jtap.Result result = jtap(List.of(), "python3", "-c", script);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo(TcpEchoServer.GREETING.repeat(5));
        }
    }

    @Test
    void twoConnectionsFromOneChildPortToTwoServersStayApart() throws Exception {
        requireTools("python3");
        try (TcpEchoServer first = TcpEchoServer.start(TcpEchoServer.Mode.GREETING);
             TcpEchoServer second = TcpEchoServer.start(TcpEchoServer.Mode.ECHO)) {
            // Linux lets one local port serve connections to different destinations; both must work.
            String script = "import socket\n"
                    + "socks = []\n"
                    + "for port in (" + first.port() + ", " + second.port() + "):\n"
                    + "    s = socket.socket()\n"
                    + "    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                    + "    s.bind(('0.0.0.0', 40123))\n"
                    + "    s.settimeout(30)\n"
                    + "    s.connect(('" + ALIAS + "', port))\n"
                    + "    socks.append(s)\n"
                    + "print(socks[0].recv(100).decode(), end='')\n"
                    + "socks[1].sendall(b'second\\n')\n"
                    + "print(socks[1].recv(100).decode(), end='')\n";
            Jtap.Result result = jtap(List.of(), "python3", "-c", script);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo(TcpEchoServer.GREETING + "second\n");
            assertThat(first.connectionCount()).isEqualTo(1);
            assertThat(second.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void tcpDataBypassesTheTunThroughTheKernelFastPath(@TempDir Path dir) throws Exception {
        requireTools("iptables-restore", "curl");
        long size = 64L << 20;
        Path file = dir.resolve("fast.bin");
        try (TestHttpServer server = TestHttpServer.http()) {
            Jtap.Result result = jtap(List.of("-v"), "curl", "-sS", "--fail",
                    server.url(ALIAS, "/bytes/" + size), "-o", file.toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(PlaneSupport.sha256(file)).isEqualTo(TestHttpServer.sha256(size));
            assertThat(result.stderr()).contains("TCP SYNs held in the namespace's netfilter queue");
            // 64 MiB through the TUN would be over a thousand packets; the fast path sees the SYN only.
            Matcher packets = Pattern.compile("packets in (\\d+), out (\\d+)").matcher(result.stderr());
            assertThat(packets.find()).as(result.stderr()).isTrue();
            assertThat(Integer.parseInt(packets.group(1))).isLessThan(20);
            assertThat(Integer.parseInt(packets.group(2))).isLessThan(20);
        }
    }

    @Test
    void childCannotChangeTheRulesThatCarryItsTcp() throws Exception {
        requireTools("iptables", "curl");
        try (TestHttpServer server = TestHttpServer.http()) {
            String script = "iptables -t nat -F OUTPUT 2>/dev/null; echo \"flush=$?\"\n"
                    + "iptables -t mangle -F OUTPUT 2>/dev/null; echo \"flush=$?\"\n"
                    + "curl -s " + quote(server.url(ALIAS, "/text")) + "\n";
            Jtap.Result result = sh(script);
            List<String> lines = result.stdout().lines().toList();
            assertThat(lines).as(result.toString()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(lines.get(0)).isNotEqualTo("flush=0");
            assertThat(lines.get(1)).isNotEqualTo("flush=0");
            assertThat(result.stdout()).endsWith(TestHttpServer.TEXT);
        }
    }

    @Test
    void serverSpeaksFirstToNetcat() throws Exception {
        requireTools("nc", "timeout");
        try (TcpEchoServer server = TcpEchoServer.start(TcpEchoServer.Mode.GREETING)) {
            // nc -d never reads stdin, so it sends nothing; the server's greeting must still arrive.
            Jtap.Result result = sh("timeout 3 nc -d " + ALIAS + " " + server.port() + "; echo \"exit=$?\"");
            assertThat(result.stdout()).as(result.toString()).isEqualTo(TcpEchoServer.GREETING + "exit=124\n");
        }
    }

    @Test
    void twoHundredParallelConnections() throws Exception {
        requireTools("curl", "xargs", "seq");
        try (TestHttpServer server = TestHttpServer.http()) {
            String url = server.url(ALIAS, "/bytes/1000");
            Jtap.Result result = sh("seq 200 | xargs -P 50 -I{} curl -s -o /dev/null -w '%{http_code}\\n' "
                    + quote(url + "?{}"));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            List<String> codes = result.stdout().lines().toList();
            assertThat(codes).as(result.toString()).hasSize(200).containsOnly("200");
            assertThat(server.requests()).hasSize(200);
            assertThat(server.connectionCount()).isEqualTo(200);
        }
    }

    @Test
    void keepAliveUsesOneConnection() throws Exception {
        try (TestHttpServer server = TestHttpServer.http()) {
            Jtap.Result result = jtap(List.of(), "curl", "-sS", "--fail",
                    server.url(ALIAS, "/bytes/100"), "-o", "/dev/null",
                    server.url(ALIAS, "/text"), "-o", "/dev/null");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(server.requests()).hasSize(2);
            assertThat(server.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void ipv6AliasReachesHostLoopbackV6() throws Exception {
        try (TestHttpServer server = TestHttpServer.builder().bindIpv6().start()) {
            Jtap.Result result = jtap(List.of(), "curl", "-sS", "--fail", "-6", server.url(ALIAS, "/text"));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo(TestHttpServer.TEXT);
            Jtap.Result literal = jtap(List.of(), "curl", "-sS", "--fail", server.url("[fd00:1a7a::77:65]", "/text"));
            assertThat(literal.stdout()).as(literal.toString()).isEqualTo(TestHttpServer.TEXT);
        }
    }

    @Test
    void childCannotReachJtapsListenerDirectly() throws Exception {
        requireTools("ss", "curl", "nc");
        try (TestHttpServer server = TestHttpServer.http()) {
            // Make a real flow first so the listener demonstrably serves NAT traffic, then dial it directly.
            String script = "curl -s -o /dev/null " + quote(server.url(ALIAS, "/text")) + "\n"
                    + "port=$(ss -ltnH | awk '{print $4}' | grep '10.1.1.100' | sed 's/.*://' | grep -vx 53 | head -1)\n"
                    + "echo \"port=$port\"\n"
                    + "curl -s -m 10 http://10.1.1.100:$port/text; echo \"curl=$?\"\n"
                    + "printf 'GET /text HTTP/1.0\\r\\n\\r\\n' | nc -w 5 10.1.1.100 $port | wc -c\n";
            Jtap.Result result = sh(script);
            List<String> lines = result.stdout().lines().toList();
            assertThat(lines).as(result.toString()).hasSize(3);
            assertThat(lines.get(0)).matches("port=\\d+");
            // curl: 7 = refused/reset during connect, 52 = empty reply, 56 = reset: never any data.
            assertThat(lines.get(1)).isIn("curl=7", "curl=52", "curl=56");
            assertThat(lines.get(2).strip()).isEqualTo("0");
            assertThat(server.requests()).hasSize(1);
        }
    }
}
