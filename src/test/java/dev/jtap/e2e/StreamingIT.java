package dev.jtap.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.e2e.support.Command;
import dev.jtap.e2e.support.RecordedRequest;
import dev.jtap.e2e.support.TestCa;
import dev.jtap.e2e.support.TestHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child's protocol is kept: HTTP/2 stays HTTP/2, WebSockets are relayed, streamed responses show early. */
class StreamingIT {
    static final String HOST = "host.jtap.local";
    /** Debian's interpreter, which sees the python3-httpx, python3-h2 and python3-websockets packages. */
    static final String PYTHON = "/usr/bin/python3";

    static TestCa ca;
    static TestHttpServer h2;
    static TestHttpServer h2c;
    static TestHttpServer http;
    static TestHttpServer https;
    static Path caPem;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        ca = TestCa.create("streaming-it");
        h2 = TestHttpServer.https2(ca, HOST, "127.0.0.1");
        h2c = TestHttpServer.h2c();
        http = TestHttpServer.http();
        https = TestHttpServer.https(ca, HOST, "127.0.0.1");
        caPem = ca.writePem(Files.createTempFile("streaming-it-ca", ".pem"));
    }

    @AfterAll
    static void stopServers() throws Exception {
        E2e.closeAll(h2, h2c, http, https);
        if (caPem != null) {
            Files.deleteIfExists(caPem);
        }
    }

    @BeforeEach
    void clear() {
        for (TestHttpServer s : List.of(h2, h2c, http, https)) {
            s.clearRecords();
        }
    }

    static List<String> jtap(List<String> flags, List<String> command) {
        List<String> args = new ArrayList<>(List.of("--upstream-ca", caPem.toString()));
        args.addAll(flags);
        args.add("--");
        args.addAll(command);
        return args;
    }

    static Jtap.Result run(List<String> flags, String... command) throws Exception {
        return Jtap.run(jtap(flags, List.of(command)), Map.of(), null, Jtap.DEFAULT_TIMEOUT);
    }

    /** curl fetching every URL on one connection, printing one http_version per URL. */
    static List<String> curlMany(List<String> curlFlags, List<String> urls) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-w", "%{http_version}\\n"));
        command.addAll(curlFlags);
        for (String url : urls) {
            command.addAll(List.of("-o", "/dev/null", url));
        }
        return command;
    }

    static List<String> urls(TestHttpServer server, String host, int... sizes) {
        List<String> urls = new ArrayList<>();
        for (int size : sizes) {
            urls.add(server.url(host, "/bytes/" + size));
        }
        return urls;
    }

    /** Every URL has exactly one request line and one response line with its byte count. */
    static void assertEachStreamShownOnce(String stdout, List<String> urls) {
        for (String url : urls) {
            int size = Integer.parseInt(url.substring(url.lastIndexOf('/') + 1));
            assertThat(stdout.lines().filter(l -> l.equals("---> GET " + url))).as(stdout).hasSize(1);
            assertThat(E2e.linesStartingWith(stdout, "<--- ").stream().filter(l -> l.contains(" " + url + " ")))
                    .as(stdout).containsExactly("<--- 200 " + url + " (" + size + " bytes)");
            assertThat(stdout.indexOf("---> GET " + url)).isLessThan(stdout.indexOf("<--- 200 " + url + " "));
        }
    }

    static void assertAllHttp2(TestHttpServer server, int count) {
        assertThat(server.requests()).hasSize(count).extracting(RecordedRequest::protocol).containsOnly("HTTP/2");
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    /** The child runs as the caller but may be another user: let it read the script. */
    private void makeReadable(Path script) {
        dir.toFile().setExecutable(true, false);
        script.toFile().setReadable(true, false);
    }

    // ---- HTTP/2 ----

    @Test
    void curlHttp2OverTlsKeepsHttp2AndShowsEachStream() throws Exception {
        List<String> urls = urls(h2, HOST, 10, 2000, 70000);
        List<String> outsideCommand = curlMany(List.of("--http2", "--cacert", caPem.toString(), "--resolve",
                HOST + ":" + h2.port() + ":127.0.0.1"), urls);
        Command.Result outside = Command.run(E2e.TOOL_TIMEOUT, outsideCommand);
        assertThat(outside.out()).isEqualTo("2\n2\n2\n");
        h2.clearRecords();
        Jtap.Result result = Jtap.run(jtap(List.of(), curlMany(List.of("--http2"), urls)), Map.of(), null,
                Jtap.DEFAULT_TIMEOUT);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(E2e.linesStartingWith(result.stdout(), "2")).as(result.toString()).containsExactly("2", "2", "2");
        assertEachStreamShownOnce(result.stdout(), urls);
        assertAllHttp2(h2, 3);
    }

    /**
     * curl 7.88 (Debian 12) cannot reuse a prior-knowledge h2c connection ("Error in the HTTP2 framing
     * layer" before it sends the second HEADERS, also without jtap), so curl fetches one URL per run
     * here and Python's httpx puts several streams on one h2c connection.
     */
    @Test
    void curlHttp2PriorKnowledgeKeepsH2c() throws Exception {
        List<String> urls = urls(h2c, HOST, 1, 4096, 100000);
        Command.Result outside = Command.run(E2e.TOOL_TIMEOUT, curlMany(List.of("--http2-prior-knowledge"),
                urls(h2c, "127.0.0.1", 4096)));
        assertThat(outside.out()).isEqualTo("2\n");
        h2c.clearRecords();
        String script = String.join(" && ", urls.stream()
                .map(u -> "curl -sS --http2-prior-knowledge -w '%{http_version}\\n' -o /dev/null " + u).toList());
        Jtap.Result result = run(List.of(), "sh", "-c", script);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(E2e.linesStartingWith(result.stdout(), "2")).as(result.toString()).containsExactly("2", "2", "2");
        assertEachStreamShownOnce(result.stdout(), urls);
        assertThat(h2c.requests()).hasSize(3).extracting(RecordedRequest::protocol).containsOnly("HTTP/2");
    }

    @Test
    void pythonHttpxSeveralStreamsOnOneH2cConnection() throws Exception {
        Path script = Files.writeString(dir.resolve("h2c.py"), """
                import sys, httpx
                with httpx.Client(http1=False, http2=True) as client:
                    for i in range(5):
                        r = client.get(f"{sys.argv[1]}/bytes/{500 + i}")
                        assert len(r.content) == 500 + i
                        print(r.http_version)
                """);
        makeReadable(script);
        String base = h2c.url(HOST, "");
        Jtap.Result result = run(List.of(), PYTHON, script.toString(), base);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(E2e.linesStartingWith(result.stdout(), "HTTP/")).containsExactly("HTTP/2", "HTTP/2", "HTTP/2",
                "HTTP/2", "HTTP/2");
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            urls.add(base + "/bytes/" + (500 + i));
        }
        assertEachStreamShownOnce(result.stdout(), urls);
        assertAllHttp2(h2c, 5);
    }

    @Test
    void curlParallelStreamsOverOneHttp2Connection() throws Exception {
        List<String> urls = urls(h2, HOST, 11, 222, 3333, 44444, 155555, 66, 7777, 88888);
        List<String> command = curlMany(List.of("--http2", "--parallel", "--parallel-max", "8", "--parallel-immediate"),
                urls);
        Jtap.Result result = Jtap.run(jtap(List.of(), command), Map.of(), null, Jtap.DEFAULT_TIMEOUT);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(E2e.linesStartingWith(result.stdout(), "2")).as(result.toString()).hasSize(urls.size()).containsOnly("2");
        assertEachStreamShownOnce(result.stdout(), urls);
        assertThat(h2.requests()).hasSize(urls.size()).extracting(RecordedRequest::protocol).containsOnly("HTTP/2");
    }

    @Test
    void pythonHttpxManyConcurrentHttp2Streams() throws Exception {
        int streams = 24;
        Path script = Files.writeString(dir.resolve("many.py"), """
                import asyncio, hashlib, sys, httpx
                async def main(base, n):
                    async with httpx.AsyncClient(http2=True) as client:
                        rs = await asyncio.gather(*[client.get(f"{base}/bytes/{1000 + i}") for i in range(n)])
                        for i, r in enumerate(rs):
                            assert len(r.content) == 1000 + i, (i, len(r.content))
                        print(" ".join(sorted({r.http_version for r in rs})))
                asyncio.run(main(sys.argv[1], int(sys.argv[2])))
                """);
        makeReadable(script);
        String base = h2.url(HOST, "");
        Jtap.Result result = run(List.of(), PYTHON, script.toString(), base, Integer.toString(streams));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).contains("HTTP/2\n");
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            urls.add(base + "/bytes/" + (1000 + i));
        }
        assertEachStreamShownOnce(result.stdout(), urls);
        assertAllHttp2(h2, streams);
    }

    // ---- WebSocket ----

    private static final String WS_CLIENT = """
            import asyncio, ssl, sys, websockets
            async def main(uri, compression):
                async with websockets.connect(uri, compression=compression, max_size=None) as ws:
                    await ws.send("hello jtap")
                    assert await ws.recv() == "hello jtap"
                    payload = bytes(range(256)) * 8
                    await ws.send(payload)
                    assert await ws.recv() == payload
                    pong = await ws.ping(b"pp")
                    await pong
                    await ws.close(1000, "bye")
                print("ws ok", ws.response_headers.get("Sec-WebSocket-Extensions", "no extensions"))
            asyncio.run(main(sys.argv[1], None if sys.argv[2] == "none" else "deflate"))
            """;

    @Test
    void webSocketOverTlsWithPermessageDeflate() throws Exception {
        Jtap.Result result = webSocket(https.url(HOST, "/ws").replace("https://", "wss://"), "deflate");
        assertThat(result.stdout()).as(result.toString()).contains("ws ok permessage-deflate");
    }

    @Test
    void webSocketInCleartextWithoutCompression() throws Exception {
        Jtap.Result result = webSocket(http.url(HOST, "/ws").replace("http://", "ws://"), "none");
        assertThat(result.stdout()).as(result.toString()).contains("ws ok no extensions");
    }

    private Jtap.Result webSocket(String uri, String compression) throws Exception {
        Path script = Files.writeString(dir.resolve("ws.py"), WS_CLIENT);
        makeReadable(script);
        Jtap.Result result = run(List.of(), PYTHON, script.toString(), uri, compression);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        String out = result.stdout();
        assertThat(out).as(out).containsPattern("(?m)^---> GET \\S+/ws$").containsPattern("(?m)^<--- 101 \\S+/ws");
        List<String> wsLines = out.lines().filter(l -> l.startsWith("-->> ws") || l.startsWith("<<-- ws")).toList();
        assertThat(wsLines).as(out).containsSubsequence(
                "-->> ws text 10 bytes", "<<-- ws text 10 bytes",
                "-->> ws binary 2.0 KB", "<<-- ws binary 2.0 KB",
                "-->> ws ping 2 bytes", "<<-- ws pong 2 bytes");
        assertThat(wsLines).as(out).anySatisfy(l -> assertThat(l).startsWith("-->> ws close").contains("1000"));
        assertThat(wsLines).as(out).anySatisfy(l -> assertThat(l).startsWith("<<-- ws close"));
        assertThat(out.indexOf("<--- 101 ")).isLessThan(out.indexOf("-->> ws text"));
        return result;
    }

    // ---- server-sent events ----

    @Test
    void serverSentEventsAreShownWhileTheStreamIsStillRunning() throws Exception {
        String url = http.url(HOST, "/sse?n=5&ms=200");
        Jtap.Running running = E2e.start(jtap(List.of("--body"), List.of("curl", "-sS", "-N", "-o", "/dev/null", url)));
        try {
            E2e.waitFor(() -> running.stdoutSoFar().contains("<--- 200 " + url + " (streaming)")
                    && running.stdoutSoFar().contains("data: event 1"), running::stdoutSoFar);
            boolean alive = running.process.isAlive();
            String early = running.stdoutSoFar();
            assertThat(alive).as("jtap and its child are still running when the first event shows").isTrue();
            assertThat(early).as("the final line must not have been printed yet").doesNotContainPattern(
                    "<--- 200 \\S+ \\(\\d+ bytes\\)");
            Jtap.Result result = running.await(Duration.ofSeconds(30));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            String out = result.stdout();
            int streaming = out.indexOf("<--- 200 " + url + " (streaming)");
            int firstEvent = out.indexOf("event 1");
            int last = out.indexOf("<--- 200 " + url + " (");
            int finalLine = out.lastIndexOf("<--- 200 " + url + " (");
            assertThat(streaming).as(out).isEqualTo(last).isLessThan(firstEvent);
            assertThat(finalLine).as(out).isGreaterThan(firstEvent);
            int total = 0;
            for (int i = 1; i <= 5; i++) {
                total += ("id: " + i + "\nevent: tick\ndata: event " + i + "\n\n").length();
            }
            assertThat(out.substring(finalLine)).startsWith("<--- 200 " + url + " (" + total + " bytes)");
        } finally {
            E2e.stop(running);
        }
    }
}
