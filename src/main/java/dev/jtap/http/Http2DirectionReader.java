package dev.jtap.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import java.nio.charset.StandardCharsets;

/**
 * Reads one direction of an HTTP/2 connection from pieces of its bytes. DATA payloads are streamed to
 * the listener as they arrive (padding dropped, END_STREAM reported by a final empty piece); every other
 * frame is collected whole, up to {@link #MAX_BUFFERED_FRAME} bytes, and handed to Netty's frame reader,
 * which owns this direction's HPACK decoder for the life of the connection.
 */
final class Http2DirectionReader {

    static final byte[] CLIENT_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_BUFFERED_FRAME = 1 << 20;
    static final long MAX_HEADER_TABLE_SIZE = 1 << 20;
    static final long MAX_HEADER_LIST_SIZE = 256 * 1024;

    private static final int FRAME_HEADER_LENGTH = 9;
    private static final int TYPE_DATA = 0;
    private static final int TYPE_HEADERS = 1;
    private static final int TYPE_PUSH_PROMISE = 5;
    private static final int TYPE_CONTINUATION = 9;
    private static final int FLAG_END_STREAM = 0x1;
    private static final int FLAG_END_HEADERS = 0x4;
    private static final int FLAG_PADDED = 0x8;

    /** Told about a stream error in a frame Netty's reader rejected; the connection goes on. */
    interface StreamErrors {
        void streamError(int streamId, String message);
    }

    private enum State { PREFACE, FRAME_HEADER, PAD_LENGTH, DATA, PADDING, FRAME_PAYLOAD }

    private final ChannelHandlerContext context;
    private final Http2FrameListener listener;
    private final StreamErrors streamErrors;
    private final DefaultHttp2HeadersDecoder headersDecoder;
    private final DefaultHttp2FrameReader frameReader;

    private State state;
    private int prefaceMatched;
    private final byte[] frameHeader = new byte[FRAME_HEADER_LENGTH];
    private int frameHeaderFilled;
    private int frameLength;
    private int frameType;
    private int frameFlags;
    private int streamId;
    private int dataRemaining;
    private int paddingRemaining;
    private int payloadRemaining;
    private boolean inHeaderBlock;
    private ByteBuf frame = Unpooled.buffer(256);

    Http2DirectionReader(boolean expectsPreface, ChannelHandlerContext context, Http2FrameListener listener,
            StreamErrors streamErrors) {
        this.context = context;
        this.listener = listener;
        this.streamErrors = streamErrors;
        this.state = expectsPreface ? State.PREFACE : State.FRAME_HEADER;
        this.headersDecoder = new DefaultHttp2HeadersDecoder(false, false, MAX_HEADER_LIST_SIZE);
        this.frameReader = new DefaultHttp2FrameReader(headersDecoder);
        try {
            frameReader.maxFrameSize(Http2CodecUtil.MAX_FRAME_SIZE_UPPER_BOUND);
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Lets the peer's encoder use a dynamic table of up to {@code size} bytes (its SETTINGS_HEADER_TABLE_SIZE
     * was seen). Only growth is applied: a shrink takes effect through the encoder's own table size update.
     */
    void allowHeaderTableSize(long size) throws Http2Exception {
        long allowed = Math.min(size, MAX_HEADER_TABLE_SIZE);
        if (allowed > headersDecoder.maxHeaderTableSize()) {
            headersDecoder.maxHeaderTableSize(allowed);
        }
    }

    /** Reads the readable bytes of {@code data}, leaving its indexes alone. */
    void feed(ByteBuf data) throws Http2Exception {
        int at = data.readerIndex();
        int end = data.writerIndex();
        while (at < end) {
            int available = end - at;
            switch (state) {
                case PREFACE -> {
                    int n = Math.min(available, CLIENT_PREFACE.length - prefaceMatched);
                    for (int i = 0; i < n; i++) {
                        if (data.getByte(at + i) != CLIENT_PREFACE[prefaceMatched + i]) {
                            throw new Http2ObservationException("no HTTP/2 client preface");
                        }
                    }
                    prefaceMatched += n;
                    at += n;
                    if (prefaceMatched == CLIENT_PREFACE.length) {
                        state = State.FRAME_HEADER;
                    }
                }
                case FRAME_HEADER -> {
                    int n = Math.min(available, FRAME_HEADER_LENGTH - frameHeaderFilled);
                    data.getBytes(at, frameHeader, frameHeaderFilled, n);
                    frameHeaderFilled += n;
                    at += n;
                    if (frameHeaderFilled == FRAME_HEADER_LENGTH) {
                        startFrame();
                    }
                }
                case PAD_LENGTH -> {
                    int padding = data.getUnsignedByte(at++);
                    if (padding > frameLength - 1) {
                        throw new Http2ObservationException("DATA padding longer than the frame");
                    }
                    dataRemaining = frameLength - 1 - padding;
                    paddingRemaining = padding;
                    state = State.DATA;
                    dataProgressed();
                }
                case DATA -> {
                    int n = Math.min(available, dataRemaining);
                    dataRemaining -= n;
                    listener.onDataRead(context, streamId, data.slice(at, n), 0, false);
                    at += n;
                    dataProgressed();
                }
                case PADDING -> {
                    int n = Math.min(available, paddingRemaining);
                    paddingRemaining -= n;
                    at += n;
                    dataProgressed();
                }
                case FRAME_PAYLOAD -> {
                    int n = Math.min(available, payloadRemaining);
                    frame.writeBytes(data, at, n);
                    payloadRemaining -= n;
                    at += n;
                    if (payloadRemaining == 0) {
                        endBufferedFrame();
                    }
                }
            }
        }
    }

    /** Frees the partial frame and any header block Netty's reader was collecting. */
    void close() {
        frameReader.close();
        frame = Unpooled.EMPTY_BUFFER;
    }

    private void startFrame() throws Http2Exception {
        frameHeaderFilled = 0;
        frameLength = ((frameHeader[0] & 0xff) << 16) | ((frameHeader[1] & 0xff) << 8) | (frameHeader[2] & 0xff);
        frameType = frameHeader[3] & 0xff;
        frameFlags = frameHeader[4] & 0xff;
        streamId = (((frameHeader[5] & 0x7f) << 24) | ((frameHeader[6] & 0xff) << 16)
                | ((frameHeader[7] & 0xff) << 8) | (frameHeader[8] & 0xff));
        if (frameType == TYPE_DATA) {
            if (inHeaderBlock || streamId == 0) {
                throw new Http2ObservationException("DATA frame out of place");
            }
            if ((frameFlags & FLAG_PADDED) != 0) {
                if (frameLength < 1) {
                    throw new Http2ObservationException("padded DATA frame without a pad length");
                }
                state = State.PAD_LENGTH;
            } else {
                dataRemaining = frameLength;
                paddingRemaining = 0;
                state = State.DATA;
                dataProgressed();
            }
            return;
        }
        if (frameLength > MAX_BUFFERED_FRAME - FRAME_HEADER_LENGTH) {
            throw new Http2ObservationException("frame of " + frameLength + " bytes is too large to follow");
        }
        frame.clear();
        frame.writeBytes(frameHeader);
        payloadRemaining = frameLength;
        state = State.FRAME_PAYLOAD;
        if (frameLength == 0) {
            endBufferedFrame();
        }
    }

    /** Moves past the data and padding of a DATA frame once they are used up. */
    private void dataProgressed() throws Http2Exception {
        if (state == State.DATA && dataRemaining == 0) {
            state = State.PADDING;
        }
        if (state == State.PADDING && paddingRemaining == 0) {
            state = State.FRAME_HEADER;
            if ((frameFlags & FLAG_END_STREAM) != 0) {
                listener.onDataRead(context, streamId, Unpooled.EMPTY_BUFFER, 0, true);
            }
        }
    }

    private void endBufferedFrame() throws Http2Exception {
        state = State.FRAME_HEADER;
        if (frameType == TYPE_HEADERS || frameType == TYPE_PUSH_PROMISE || frameType == TYPE_CONTINUATION) {
            inHeaderBlock = (frameFlags & FLAG_END_HEADERS) == 0;
        }
        try {
            frameReader.readFrame(context, frame, listener);
        } catch (Http2Exception.StreamException e) {
            streamErrors.streamError(e.streamId(), e.error() + ": " + e.getMessage());
        } finally {
            if (frame.capacity() > 64 * 1024) {
                frame = Unpooled.buffer(256);
            } else {
                frame.clear();
            }
        }
    }
}
