package dev.jtap.http;

import dev.jtap.record.WebSocketMessage;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Reads the RFC 6455 frames of one direction of a WebSocket connection, in whatever pieces they arrive,
 * and turns each complete message or control frame into a {@link WebSocketMessage}. Fragmented messages
 * are reassembled; masked payloads are unmasked; compressed messages are inflated for display.
 */
final class WebSocketFrameReader {

    static final int MAX_CONTROL_PAYLOAD = 125;

    private static final int OPCODE_CONTINUATION = 0;
    private static final int OPCODE_TEXT = 1;
    private static final int OPCODE_BINARY = 2;

    private final boolean fromClient;
    private final boolean deflateNegotiated;
    private final Consumer<WebSocketMessage> messages;

    private final byte[] header = new byte[14];
    private int headerFilled;
    private int headerNeeded = 2;

    private boolean readingPayload;
    private boolean fin;
    private boolean compressedFlag;
    private int opcode;
    private long payloadRemaining;
    private final byte[] maskKey = new byte[4];
    private boolean masked;
    private long maskPosition;

    private final byte[] chunk = new byte[8192];
    private final byte[] control = new byte[MAX_CONTROL_PAYLOAD];
    private int controlLength;
    /** The data message being reassembled, or null between messages. */
    private WebSocketMessageAssembly message;
    private MessageInflater inflater;

    WebSocketFrameReader(boolean fromClient, boolean deflateNegotiated, Consumer<WebSocketMessage> messages) {
        this.fromClient = fromClient;
        this.deflateNegotiated = deflateNegotiated;
        this.messages = messages;
    }

    /** Reads the readable bytes of {@code data} without touching its indexes. */
    void feed(ByteBuf data) {
        int at = data.readerIndex();
        int end = data.writerIndex();
        while (at < end) {
            if (!readingPayload) {
                int n = Math.min(end - at, headerNeeded - headerFilled);
                data.getBytes(at, header, headerFilled, n);
                headerFilled += n;
                at += n;
                if (headerFilled == headerNeeded) {
                    headerProgress();
                }
            } else {
                int n = (int) Math.min(Math.min(end - at, payloadRemaining), chunk.length);
                data.getBytes(at, chunk, 0, n);
                at += n;
                payload(n);
            }
        }
    }

    /** Releases the inflater's native memory. */
    void close() {
        if (inflater != null) {
            inflater.close();
        }
    }

    private void headerProgress() {
        if (headerNeeded == 2) {
            int lengthCode = header[1] & 0x7f;
            int extended = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
            headerNeeded = 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
            if (headerFilled < headerNeeded) {
                return;
            }
        }
        startFrame();
    }

    private void startFrame() {
        fin = (header[0] & 0x80) != 0;
        compressedFlag = (header[0] & 0x40) != 0;
        opcode = header[0] & 0x0f;
        masked = (header[1] & 0x80) != 0;
        int lengthCode = header[1] & 0x7f;
        int position = 2;
        if (lengthCode == 126) {
            payloadRemaining = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            position = 4;
        } else if (lengthCode == 127) {
            long length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xff);
            }
            if (length < 0) {
                throw new MalformedWebSocketException("payload length over 2^63");
            }
            payloadRemaining = length;
            position = 10;
        } else {
            payloadRemaining = lengthCode;
        }
        if (masked) {
            System.arraycopy(header, position, maskKey, 0, 4);
        }
        maskPosition = 0;
        checkFrame();
        headerFilled = 0;
        headerNeeded = 2;
        readingPayload = true;
        controlLength = 0;
        if (opcode != OPCODE_CONTINUATION && !isControl()) {
            message = new WebSocketMessageAssembly(opcode, compressedFlag ? inflater() : null);
        }
        if (payloadRemaining == 0) {
            endFrame();
        }
    }

    private void checkFrame() {
        if ((header[0] & 0x30) != 0) {
            throw new MalformedWebSocketException("reserved bits RSV2/RSV3 set");
        }
        if (isControl()) {
            if (opcode > 10) {
                throw new MalformedWebSocketException("reserved opcode " + opcode);
            }
            if (!fin || payloadRemaining > MAX_CONTROL_PAYLOAD || compressedFlag) {
                throw new MalformedWebSocketException("invalid control frame");
            }
            return;
        }
        if (opcode > OPCODE_BINARY) {
            throw new MalformedWebSocketException("reserved opcode " + opcode);
        }
        if (opcode == OPCODE_CONTINUATION ? message == null : message != null) {
            throw new MalformedWebSocketException("unexpected " + (message == null ? "continuation" : "new message")
                    + " frame");
        }
        if (compressedFlag && (opcode == OPCODE_CONTINUATION || !deflateNegotiated)) {
            throw new MalformedWebSocketException("RSV1 set without permessage-deflate");
        }
    }

    private boolean isControl() {
        return (opcode & 0x08) != 0;
    }

    private void payload(int n) {
        if (masked) {
            for (int i = 0; i < n; i++) {
                chunk[i] ^= maskKey[(int) (maskPosition++ & 3)];
            }
        }
        payloadRemaining -= n;
        if (isControl()) {
            System.arraycopy(chunk, 0, control, controlLength, n);
            controlLength += n;
        } else {
            message.append(chunk, n);
        }
        if (payloadRemaining == 0) {
            endFrame();
        }
    }

    private void endFrame() {
        readingPayload = false;
        if (isControl()) {
            messages.accept(WebSocketMessageAssembly.control(fromClient, opcode, control, controlLength));
        } else if (fin) {
            WebSocketMessageAssembly complete = message;
            message = null;
            messages.accept(complete.finish(fromClient, Instant.now()));
        }
    }

    private MessageInflater inflater() {
        if (inflater == null) {
            inflater = new MessageInflater();
        }
        return inflater;
    }
}
