package dev.jtap.record;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A message body as seen on the wire (after de-chunking, before content decoding): every byte is
 * counted, only the first {@link #maxBody()} bytes are kept.
 */
public final class Body {

    public static final int DEFAULT_MAX_BODY = 1 << 20;

    private static final byte[] NOTHING = new byte[0];

    private final int maxBody;
    private byte[] kept = NOTHING;
    private int keptLength;
    private long size;

    public Body(int maxBody) {
        if (maxBody < 0) {
            throw new IllegalArgumentException("maxBody must not be negative: " + maxBody);
        }
        this.maxBody = maxBody;
    }

    /** A complete body holding {@code bytes}, for sinks and tests that build exchanges by hand. */
    public static Body of(byte[] bytes) {
        Body body = new Body(Math.max(bytes.length, 0));
        body.append(bytes, 0, bytes.length);
        return body;
    }

    /** Counts the readable bytes of {@code data} and keeps what fits; indexes of {@code data} are untouched. */
    public synchronized void append(ByteBuf data) {
        int length = data.readableBytes();
        int copied = reserve(length);
        data.getBytes(data.readerIndex(), kept, keptLength, copied);
        keptLength += copied;
        size += length;
    }

    /** Counts bytes that passed without being looked at (so none of them is kept). */
    public synchronized void count(long length) {
        size += length;
    }

    public synchronized void append(byte[] data, int offset, int length) {
        int copied = reserve(length);
        System.arraycopy(data, offset, kept, keptLength, copied);
        keptLength += copied;
        size += length;
    }

    /** Makes room for up to {@code length} more kept bytes and returns how many will fit. */
    private int reserve(int length) {
        int copied = Math.min(length, maxBody - keptLength);
        int needed = keptLength + copied;
        if (needed > kept.length) {
            int grown = (int) Math.min(maxBody, Math.max(needed, Math.max(256L, 2L * kept.length)));
            kept = Arrays.copyOf(kept, grown);
        }
        return copied;
    }

    /** Total bytes counted, including those not kept. */
    public synchronized long size() {
        return size;
    }

    public synchronized boolean isEmpty() {
        return size == 0;
    }

    /** A copy of the kept prefix. */
    public synchronized byte[] prefix() {
        return Arrays.copyOf(kept, keptLength);
    }

    /** True when more bytes were counted than kept. */
    public synchronized boolean truncated() {
        return size > keptLength;
    }

    public int maxBody() {
        return maxBody;
    }

    @Override
    public synchronized String toString() {
        return "Body[" + size + " bytes" + (truncated() ? ", truncated to " + keptLength : "") + "]";
    }
}
