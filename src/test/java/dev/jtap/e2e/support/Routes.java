package dev.jtap.e2e.support;

import static io.netty.handler.codec.http.HttpHeaderNames.CONTENT_ENCODING;
import static io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH;
import static io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE;
import static io.netty.handler.codec.http.HttpHeaderNames.LOCATION;

import dev.jtap.record.Compress;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The fixed routes of {@link TestHttpServer}; works on aggregated HTTP/1.x or HTTP/2 (converted) requests. */
final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String TEXT = "hello from test server\n";
    static final String COMPRESSIBLE_JSON = buildJson();
    private static final byte[] GZIP_JSON = Compress.gzip(COMPRESSIBLE_JSON.getBytes(StandardCharsets.UTF_8));
    private static final byte[] DEFLATE_JSON = Compress.zlib(COMPRESSIBLE_JSON.getBytes(StandardCharsets.UTF_8));
    private static final int RESET_DECLARED_LENGTH = 1024 * 1024;
    private static final int RESET_SENT_LENGTH = 16 * 1024;

    /** Root of {@code /files/...}, or null when the server serves no files. */
    private final Path filesRoot;

    Routes(Path filesRoot) {
        this.filesRoot = filesRoot;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder query = new QueryStringDecoder(req.uri());
        String path = query.path();
        String[] parts = path.substring(1).split("/", -1);
        switch (parts[0]) {
            case "text" -> send(ctx, req, HttpResponseStatus.OK, "text/plain; charset=utf-8", bytes(TEXT));
            case "bytes" -> streamBytes(ctx, req, parts);
            case "gzip" -> sendEncoded(ctx, req, "gzip", GZIP_JSON);
            case "deflate" -> sendEncoded(ctx, req, "deflate", DEFLATE_JSON);
            case "zstd" -> sendEncoded(ctx, req, "zstd", Compress.zstd(bytes(COMPRESSIBLE_JSON)));
            case "status" -> status(ctx, req, parts);
            case "redirect" -> redirect(ctx, req, parts);
            case "echo" -> echo(ctx, req);
            case "headers" -> send(ctx, req, HttpResponseStatus.OK, "application/json", bytes(headersJson(req.headers())));
            case "sse" -> sse(ctx, req, intParam(query, "n", 5), intParam(query, "ms", 200));
            case "slow" -> {
                int ms = intParam(query, "ms", 1000);
                req.retain();
                ctx.executor().schedule(() -> {
                    try {
                        send(ctx, req, HttpResponseStatus.OK, "text/plain", bytes("slow response after " + ms + " ms\n"));
                    } finally {
                        req.release();
                    }
                }, ms, TimeUnit.MILLISECONDS);
            }
            case "reset-mid-body" -> resetMidBody(ctx);
            case "close-before-response" -> connection(ctx).close();
            case "stall" -> { /* never answer */ }
            case "files" -> file(ctx, req, path.substring("/files".length()));
            default -> send(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", bytes("not found: " + path + "\n"));
        }
    }

    /** Request headers with lower-case names, without Netty's internal {@code x-http2-*} headers. */
    static Map<String, List<String>> headerMap(HttpHeaders headers) {
        Map<String, List<String>> map = new TreeMap<>();
        for (Map.Entry<String, String> e : headers) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith("x-http2-")) {
                map.computeIfAbsent(name, k -> new ArrayList<>()).add(e.getValue());
            }
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return map;
    }

    static String headersJson(HttpHeaders headers) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, List<String>> e : headerMap(headers).entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(Json.quote(e.getKey())).append(':').append(Json.quote(String.join(", ", e.getValue())));
        }
        return sb.append("}\n").toString();
    }

    private void streamBytes(ChannelHandlerContext ctx, FullHttpRequest req, String[] parts) {
        long n;
        try {
            n = Long.parseLong(parts.length > 1 ? parts[1] : "");
        } catch (NumberFormatException e) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain", bytes("usage: /bytes/N\n"));
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(CONTENT_TYPE, "application/octet-stream").set(CONTENT_LENGTH, n);
        ctx.write(head);
        ChannelFuture done = req.method().equals(HttpMethod.HEAD)
                ? ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                : ctx.writeAndFlush(new HttpChunkedInput(new BytesBody(n)));
        finish(req, done);
    }

    /**
     * A static file under {@link #filesRoot} (a directory answers with its {@code index.html}), enough
     * for git's "dumb" HTTP protocol and a pip "simple" index.
     */
    private void file(ChannelHandlerContext ctx, FullHttpRequest req, String relative) {
        Path file = null;
        if (filesRoot != null) {
            Path candidate = filesRoot.resolve(QueryStringDecoder.decodeComponent(relative).replaceFirst("^/+", ""))
                    .normalize();
            if (candidate.startsWith(filesRoot) && Files.isDirectory(candidate)) {
                candidate = candidate.resolve("index.html");
            }
            if (candidate.startsWith(filesRoot) && Files.isRegularFile(candidate)) {
                file = candidate;
            }
        }
        if (file == null) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", bytes("not found: /files" + relative + "\n"));
            return;
        }
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (IOException e) {
            send(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", bytes(e + "\n"));
            return;
        }
        String type = file.getFileName().toString().endsWith(".html") ? "text/html; charset=utf-8"
                : "application/octet-stream";
        send(ctx, req, HttpResponseStatus.OK, type, body);
    }

    private void sendEncoded(ChannelHandlerContext ctx, FullHttpRequest req, String encoding, byte[] body) {
        FullHttpResponse res = response(HttpResponseStatus.OK, "application/json", body);
        res.headers().set(CONTENT_ENCODING, encoding);
        write(ctx, req, res);
    }

    private void status(ChannelHandlerContext ctx, FullHttpRequest req, String[] parts) {
        int code;
        try {
            code = Integer.parseInt(parts.length > 1 ? parts[1] : "");
        } catch (NumberFormatException e) {
            code = 400;
        }
        HttpResponseStatus status = HttpResponseStatus.valueOf(code);
        boolean bodyless = code == 204 || code == 304 || code < 200;
        send(ctx, req, status, "text/plain", bodyless ? new byte[0] : bytes("status " + code + "\n"));
    }

    private void redirect(ChannelHandlerContext ctx, FullHttpRequest req, String[] parts) {
        int n;
        try {
            n = Integer.parseInt(parts.length > 1 ? parts[1] : "");
        } catch (NumberFormatException e) {
            n = 1;
        }
        String location = n > 1 ? "/redirect/" + (n - 1) : "/text";
        FullHttpResponse res = response(HttpResponseStatus.FOUND, "text/plain", bytes("redirecting to " + location + "\n"));
        res.headers().set(LOCATION, location);
        write(ctx, req, res);
    }

    private void echo(ChannelHandlerContext ctx, FullHttpRequest req) {
        String type = req.headers().get(CONTENT_TYPE, "application/octet-stream");
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                req.content().retainedDuplicate());
        res.headers().set(CONTENT_TYPE, type).setInt(CONTENT_LENGTH, res.content().readableBytes());
        write(ctx, req, res);
    }

    private void sse(ChannelHandlerContext ctx, FullHttpRequest req, int count, int intervalMs) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(CONTENT_TYPE, "text/event-stream").set("cache-control", "no-cache");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        scheduleEvent(ctx, 1, count, intervalMs, keepAlive);
    }

    private void scheduleEvent(ChannelHandlerContext ctx, int index, int count, int intervalMs, boolean keepAlive) {
        if (index > count) {
            ChannelFuture done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        ctx.executor().schedule(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            String event = sseEvent(index);
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(event, StandardCharsets.UTF_8)));
            scheduleEvent(ctx, index + 1, count, intervalMs, keepAlive);
        }, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** The text of the i-th (1-based) server-sent event. */
    static String sseEvent(int index) {
        return "id: " + index + "\nevent: tick\ndata: event " + index + "\n\n";
    }

    private void resetMidBody(ChannelHandlerContext ctx) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(CONTENT_TYPE, "application/octet-stream").setInt(CONTENT_LENGTH, RESET_DECLARED_LENGTH);
        ctx.write(head);
        byte[] part = new byte[RESET_SENT_LENGTH];
        new DeterministicBytes(RESET_DECLARED_LENGTH).fill(part, 0, part.length);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(part))).addListener(f ->
                ctx.executor().schedule(() -> abort(connection(ctx)), 50, TimeUnit.MILLISECONDS));
    }

    /** Closes with SO_LINGER=0 so the peer sees a TCP RST. */
    static void abort(Channel connection) {
        try {
            connection.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // best effort
        }
        connection.close();
    }

    /** The TCP connection's channel (the parent of an HTTP/2 stream channel). */
    private static Channel connection(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        return ch instanceof Http2StreamChannel && ch.parent() != null ? ch.parent() : ch;
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(CONTENT_TYPE, contentType).setInt(CONTENT_LENGTH, body.length);
        return res;
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, byte[] body) {
        write(ctx, req, response(status, type, body));
    }

    private void write(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        if (req.method().equals(HttpMethod.HEAD)) {
            res.content().clear();
        }
        finish(req, ctx.writeAndFlush(res));
    }

    private static void finish(FullHttpRequest req, ChannelFuture lastWrite) {
        if (!HttpUtil.isKeepAlive(req)) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static int intParam(QueryStringDecoder query, String name, int fallback) {
        List<String> values = query.parameters().get(name);
        try {
            return values == null || values.isEmpty() ? fallback : Integer.parseInt(values.getFirst());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String buildJson() {
        StringBuilder sb = new StringBuilder("{\"message\":\"hello from test server\",\"items\":[");
        for (int i = 0; i < 200; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item ").append(i).append("\"}");
        }
        return sb.append("]}\n").toString();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
