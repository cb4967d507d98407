package dev.jtap.e2e.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/** Streams {@link DeterministicBytes} of a given length in bounded chunks, never holding the whole body. */
final class BytesBody implements ChunkedInput<ByteBuf> {

    private static final int CHUNK = 32 * 1024;

    private final long length;
    private final DeterministicBytes stream;
    private final byte[] scratch = new byte[CHUNK];
    private long sent;

    BytesBody(long length) {
        this.length = length;
        this.stream = new DeterministicBytes(length);
    }

    @Override
    public boolean isEndOfInput() {
        return sent >= length;
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        int n = (int) Math.min(CHUNK, length - sent);
        stream.fill(scratch, 0, n);
        ByteBuf buf = allocator.buffer(n);
        buf.writeBytes(scratch, 0, n);
        sent += n;
        return buf;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return sent;
    }
}
