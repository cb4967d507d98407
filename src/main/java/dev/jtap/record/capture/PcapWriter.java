package dev.jtap.record.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a classic pcap file of raw IP packets (LINKTYPE_RAW, so each packet starts at its IP header)
 * with nanosecond timestamps. Every packet goes to the file in one write before {@link #write} returns,
 * so the file can be read while jtap runs and survives jtap being killed.
 */
public final class PcapWriter implements Closeable {

    static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    static final int SNAPLEN = 262_144;
    static final int LINKTYPE_RAW = 101;
    static final int GLOBAL_HEADER_SIZE = 24;
    static final int RECORD_HEADER_SIZE = 16;

    private final FileChannel file;
    private ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_SIZE + 2048).order(ByteOrder.LITTLE_ENDIAN);

    public PcapWriter(Path file) throws IOException {
        this.file = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer header = ByteBuffer.allocate(GLOBAL_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(MAGIC_NANOSECONDS)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0) // thiszone: timestamps are UTC
                .putInt(0) // sigfigs
                .putInt(SNAPLEN)
                .putInt(LINKTYPE_RAW)
                .flip();
        try {
            writeFully(header);
        } catch (IOException e) {
            this.file.close();
            throw e;
        }
    }

    /**
     * Appends the packet at {@code packet[offset, offset + length)} (absolute indexes), keeping at most
     * {@link #SNAPLEN} bytes of it. The buffer's position and limit are not changed.
     */
    public synchronized void write(ByteBuffer packet, int offset, int length, long epochNanos) throws IOException {
        int captured = Math.min(length, SNAPLEN);
        if (record.capacity() < RECORD_HEADER_SIZE + captured) {
            record = ByteBuffer.allocate(RECORD_HEADER_SIZE + captured).order(ByteOrder.LITTLE_ENDIAN);
        }
        record.clear()
                .putInt((int) Math.floorDiv(epochNanos, 1_000_000_000L))
                .putInt((int) Math.floorMod(epochNanos, 1_000_000_000L))
                .putInt(captured)
                .putInt(length);
        packet.get(offset, record.array(), RECORD_HEADER_SIZE, captured);
        record.position(RECORD_HEADER_SIZE + captured).flip();
        writeFully(record);
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            file.write(bytes);
        }
    }
}
