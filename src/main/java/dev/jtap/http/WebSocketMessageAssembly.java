package dev.jtap.http;

import dev.jtap.record.WebSocketMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/** A text or binary message being put together from its frames; keeps a bounded prefix for display. */
final class WebSocketMessageAssembly {

    static final int MAX_KEPT = 64 * 1024;

    private final int opcode;
    private final MessageInflater inflater;
    private byte[] kept = new byte[256];
    private int keptLength;
    /** Payload bytes as the application sees them: inflated when permessage-deflate compressed them. */
    private long messageLength;

    /** {@code inflater} is null for an uncompressed message. */
    WebSocketMessageAssembly(int opcode, MessageInflater inflater) {
        this.opcode = opcode;
        this.inflater = inflater;
    }

    void append(byte[] payload, int length) {
        if (inflater != null) {
            inflater.inflate(payload, length, this::produced);
        } else {
            produced(payload, length);
        }
    }

    WebSocketMessage finish(boolean fromClient, Instant at) {
        if (inflater != null) {
            inflater.endMessage(this::produced);
        }
        byte[] shown = Arrays.copyOf(kept, keptLength);
        String data = opcode == 1 ? new String(shown, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(shown);
        return new WebSocketMessage(fromClient, at, opcode, data, messageLength);
    }

    static WebSocketMessage control(boolean fromClient, int opcode, byte[] payload, int length) {
        String data;
        if (opcode == 8 && length >= 2) {
            int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            String reason = new String(payload, 2, length - 2, StandardCharsets.UTF_8);
            data = reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
        } else {
            data = new String(payload, 0, length, StandardCharsets.UTF_8);
        }
        return new WebSocketMessage(fromClient, Instant.now(), opcode, data, length);
    }

    private void produced(byte[] bytes, int length) {
        messageLength += length;
        keep(bytes, length);
    }

    private void keep(byte[] bytes, int length) {
        int copied = Math.min(length, MAX_KEPT - keptLength);
        if (copied <= 0) {
            return;
        }
        if (keptLength + copied > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(MAX_KEPT, Math.max(keptLength + copied, 2 * kept.length)));
        }
        System.arraycopy(bytes, 0, kept, keptLength, copied);
        keptLength += copied;
    }
}
