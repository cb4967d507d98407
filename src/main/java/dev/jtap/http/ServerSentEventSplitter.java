package dev.jtap.http;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a {@code text/event-stream} body into events at blank lines (any of CRLF, LF, CR ending a line)
 * and hands each event's lines, joined by LF, to a consumer. Keeps at most {@link #MAX_EVENT} bytes of
 * one event.
 */
final class ServerSentEventSplitter {

    static final int MAX_EVENT = 64 * 1024;

    private final Consumer<String> events;
    private final ByteArrayOutputStream event = new ByteArrayOutputStream();
    private boolean lineEmpty = true;
    private boolean afterCarriageReturn;

    ServerSentEventSplitter(Consumer<String> events) {
        this.events = events;
    }

    void feed(ByteBuf data) {
        for (int i = data.readerIndex(); i < data.writerIndex(); i++) {
            byte b = data.getByte(i);
            if (b == '\n' && afterCarriageReturn) {
                afterCarriageReturn = false;
                continue;
            }
            afterCarriageReturn = b == '\r';
            if (b == '\r' || b == '\n') {
                endLine();
            } else {
                lineEmpty = false;
                if (event.size() < MAX_EVENT) {
                    event.write(b);
                }
            }
        }
    }

    private void endLine() {
        if (lineEmpty) {
            if (event.size() > 0) {
                String text = event.toString(StandardCharsets.UTF_8);
                event.reset();
                events.accept(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            }
            return;
        }
        lineEmpty = true;
        if (event.size() < MAX_EVENT) {
            event.write('\n');
        }
    }
}
