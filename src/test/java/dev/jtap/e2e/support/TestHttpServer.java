package dev.jtap.e2e.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Netty HTTP server with fixed, deterministic routes (see {@link Routes}): HTTP/1.1, optionally
 * TLS with a {@link TestCa} leaf, optionally HTTP/2 (ALPN {@code h2} over TLS, prior-knowledge h2c
 * on cleartext). Records every TCP connection and request for assertions.
 *
 * <p>Routes: {@code /text}, {@code /bytes/N}, {@code /gzip}, {@code /deflate}, {@code /zstd},
 * {@code /status/CODE}, {@code /redirect/N}, {@code /echo}, {@code /headers},
 * {@code /sse?n=&ms=}, {@code /slow?ms=}, {@code /reset-mid-body}, {@code /close-before-response},
 * {@code /stall}, {@code /ws} (WebSocket echo, HTTP/1.1 only), {@code /files/PATH} (static files
 * under {@link Builder#files(Path)}; a directory answers with its {@code index.html}).
 */
public final class TestHttpServer implements AutoCloseable {

    /** Body of {@code /text}. */
    public static final String TEXT = Routes.TEXT;
    /** Uncompressed body of {@code /gzip}, {@code /deflate} and {@code /zstd}. */
    public static final String COMPRESSED_JSON = Routes.COMPRESSIBLE_JSON;
    private static final int MAX_REQUEST_BODY = 64 * 1024 * 1024;

    private final boolean tls;
    private final boolean http2;
    private final String host;
    private final Path filesRoot;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger connections = new AtomicInteger();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    private TestHttpServer(Builder b) {
        this.tls = b.ca != null;
        this.http2 = b.http2;
        this.host = b.ipv6 ? "::1" : "127.0.0.1";
        this.filesRoot = b.filesRoot;
        SslContext ssl = tls
                ? b.ca.nettyServerContext(http2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                        : List.of(ApplicationProtocolNames.HTTP_1_1), b.names)
                : null;
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("test-http", true);
        this.group = new MultiThreadIoEventLoopGroup(2, threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.incrementAndGet();
                            channels.add(ch);
                            if (ssl != null) {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new AlpnSetup());
                            } else if (http2) {
                                ch.pipeline().addLast(new PrefaceDetector((ctx, h2) -> {
                                    if (h2) {
                                        addHttp2(ctx.pipeline());
                                    } else {
                                        addHttp1(ctx.pipeline());
                                    }
                                }));
                            } else {
                                addHttp1(ch.pipeline());
                            }
                        }
                    })
                    .bind(new InetSocketAddress(host, 0)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    // ---- factories ----

    /** Cleartext HTTP/1.1 on 127.0.0.1. */
    public static TestHttpServer http() {
        return builder().start();
    }

    /** Cleartext HTTP/1.1 plus prior-knowledge h2c on 127.0.0.1. */
    public static TestHttpServer h2c() {
        return builder().http2(true).start();
    }

    /** HTTPS (HTTP/1.1 only) with a leaf from {@code ca} for {@code names} (DNS names or IP literals). */
    public static TestHttpServer https(TestCa ca, String... names) {
        return builder().tls(ca, names).start();
    }

    /** HTTPS offering ALPN {@code h2} and {@code http/1.1}. */
    public static TestHttpServer https2(TestCa ca, String... names) {
        return builder().tls(ca, names).http2(true).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private TestCa ca;
        private String[] names;
        private boolean http2;
        private boolean ipv6;
        private Path filesRoot;

        private Builder() {
        }

        /** Serves the files under {@code root} at {@code /files/...}. */
        public Builder files(Path root) {
            this.filesRoot = root.toAbsolutePath().normalize();
            return this;
        }

        public Builder tls(TestCa ca, String... names) {
            this.ca = ca;
            this.names = names.length == 0 ? new String[] {"localhost", "127.0.0.1", "::1"} : names;
            return this;
        }

        /** Enables HTTP/2: ALPN h2 with TLS, prior-knowledge h2c without. */
        public Builder http2(boolean enabled) {
            this.http2 = enabled;
            return this;
        }

        /** Binds ::1 instead of 127.0.0.1. */
        public Builder bindIpv6() {
            this.ipv6 = true;
            return this;
        }

        public TestHttpServer start() {
            return new TestHttpServer(this);
        }
    }

    // ---- accessors ----

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The bound address literal, {@code 127.0.0.1} or {@code ::1}. */
    public String host() {
        return host;
    }

    public boolean isTls() {
        return tls;
    }

    /** {@code http(s)://127.0.0.1:PORT} + path (IPv6 hosts are bracketed). */
    public String url(String path) {
        return url(host.contains(":") ? "[" + host + "]" : host, path);
    }

    /** The URL for {@code path} using another host name (e.g. a name served by {@link TestDnsServer}). */
    public String url(String hostName, String path) {
        return (tls ? "https://" : "http://") + hostName + ":" + port() + path;
    }

    /** TCP connections accepted so far. */
    public int connectionCount() {
        return connections.get();
    }

    /** Requests received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public void clearRecords() {
        requests.clear();
        connections.set(0);
    }

    /** The exact body of {@code /bytes/n}. */
    public static byte[] expectedBytes(int n) {
        return DeterministicBytes.of(n);
    }

    /** Hex SHA-256 of the body of {@code /bytes/n}. */
    public static String sha256(long n) {
        return DeterministicBytes.sha256(n);
    }

    // ---- pipelines ----

    private void addHttp1(ChannelPipeline p) {
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .allowExtensions(true)
                .maxFramePayloadLength(16 * 1024 * 1024)
                .build();
        p.addLast(new HttpServerCodec(),
                new HttpObjectAggregator(MAX_REQUEST_BODY),
                new RequestRecorder(null, tls, requests::add),
                new WebSocketServerCompressionHandler(0),
                new WebSocketServerProtocolHandler(ws),
                new WebSocketEcho(),
                new ChunkedWriteHandler(),
                new Routes(filesRoot));
    }

    private void addHttp2(ChannelPipeline p) {
        p.addLast(Http2FrameCodecBuilder.forServer().build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                new HttpObjectAggregator(MAX_REQUEST_BODY),
                                new RequestRecorder("HTTP/2", tls, requests::add),
                                new ChunkedWriteHandler(),
                                new Routes(filesRoot));
                    }
                }));
    }

    private final class AlpnSetup extends ApplicationProtocolNegotiationHandler {
        AlpnSetup() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2(ctx.pipeline());
            } else {
                addHttp1(ctx.pipeline());
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "TestHttpServer[" + url("/") + (http2 ? ", h2" : "") + "]";
    }
}
