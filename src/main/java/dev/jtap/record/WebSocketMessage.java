package dev.jtap.record;

import java.time.Instant;

/**
 * One WebSocket frame of an upgraded exchange, as HAR's {@code _webSocketMessages} records it:
 * {@code opcode} 1 text, 2 binary, 8 close, 9 ping, 10 pong; {@code data} is the text (inflated
 * when permessage-deflate was used), base64 for binary, or "code reason" for close; {@code length}
 * is the message's payload size as the application sees it (after inflating permessage-deflate), not
 * the compressed size on the wire, so a 10-character message is "10 bytes" with or without compression.
 */
public record WebSocketMessage(boolean fromClient, Instant time, int opcode, String data, long length) {
}
