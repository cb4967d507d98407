package dev.jtap.http;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates permessage-deflate messages (RFC 7692) of one direction. The window is kept across messages,
 * which decodes both context takeover and no_context_takeover senders correctly.
 */
final class MessageInflater {

    private static final byte[] MESSAGE_TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    interface Output {
        void write(byte[] bytes, int length);
    }

    private final Inflater inflater = new Inflater(true);
    private final byte[] out = new byte[16384];

    /** Inflates all of {@code input[0..length)}, handing every produced byte to {@code output}. */
    void inflate(byte[] input, int length, Output output) {
        inflater.setInput(input, 0, length);
        drain(output);
    }

    /** Ends a message: inflates the implied empty stored block that the sender stripped. */
    void endMessage(Output output) {
        if (!inflater.finished()) {
            inflater.setInput(MESSAGE_TAIL);
            drain(output);
        }
        if (inflater.finished()) {
            // the sender closed the deflate stream (BFINAL); the next message starts a fresh one
            inflater.reset();
        }
    }

    void close() {
        inflater.end();
    }

    private void drain(Output output) {
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(out);
                if (n == 0) {
                    break; // needs more input (or a dictionary, which permessage-deflate never uses)
                }
                output.write(out, n);
            }
        } catch (DataFormatException e) {
            throw new MalformedWebSocketException("cannot inflate message: " + e.getMessage());
        }
    }
}
