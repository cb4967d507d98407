package dev.jtap.http;

import dev.jtap.record.Exchange;
import dev.jtap.record.Recorder;
import dev.jtap.record.WebSocketMessage;
import io.netty.buffer.ByteBuf;

/**
 * Watches both directions of a WebSocket connection after its handshake and records every message and
 * control frame on the handshake's exchange. Like the HTTP observers it never throws and never touches
 * the buffers' indexes; on malformed framing it stops observing.
 */
public final class WebSocketObserver {

    private final Exchange handshake;
    private final Recorder recorder;
    private final WebSocketFrameReader fromClient;
    private final WebSocketFrameReader fromServer;
    private boolean active = true;
    private String stopReason;

    public WebSocketObserver(Exchange handshake, Recorder recorder, boolean permessageDeflate) {
        this.handshake = handshake;
        this.recorder = recorder;
        this.fromClient = new WebSocketFrameReader(true, permessageDeflate, this::record);
        this.fromServer = new WebSocketFrameReader(false, permessageDeflate, this::record);
    }

    /** Whether a {@code Sec-WebSocket-Extensions} response header value accepted permessage-deflate. */
    public static boolean acceptsPermessageDeflate(String extensionsHeader) {
        return extensionsHeader != null && extensionsHeader.toLowerCase(java.util.Locale.ROOT)
                .contains("permessage-deflate");
    }

    public synchronized void clientBytes(ByteBuf data) {
        feed(fromClient, data, "client");
    }

    public synchronized void serverBytes(ByteBuf data) {
        feed(fromServer, data, "server");
    }

    /** The connection (or HTTP/2 stream) ended; {@code reasonOrNull} says why if it did not end cleanly. */
    public synchronized void closed(String reasonOrNull) {
        stop(reasonOrNull != null ? reasonOrNull : "connection closed");
    }

    public synchronized boolean active() {
        return active;
    }

    public synchronized String stopReason() {
        return stopReason;
    }

    private void feed(WebSocketFrameReader reader, ByteBuf data, String direction) {
        if (!active || !data.isReadable()) {
            return;
        }
        try {
            reader.feed(data);
        } catch (Exception | StackOverflowError | AssertionError e) {
            stop("cannot follow WebSocket " + direction + " frames: " + e.getMessage());
        }
    }

    private void record(WebSocketMessage message) {
        handshake.addWebSocketMessage(message);
        recorder.webSocketMessage(handshake, message);
    }

    private void stop(String reason) {
        if (active) {
            active = false;
            stopReason = reason;
            fromClient.close();
            fromServer.close();
        }
    }
}
