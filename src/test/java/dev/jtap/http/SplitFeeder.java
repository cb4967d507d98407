package dev.jtap.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Feeds a conversation to an observer in pieces, each in a pooled buffer with spare room at both ends,
 * and checks that the observer left every buffer's indexes, bytes and reference count alone.
 */
final class SplitFeeder {

    private final BiConsumer<Boolean, ByteBuf> observer;
    private final List<ByteBuf> fed = new ArrayList<>();

    SplitFeeder(BiConsumer<Boolean, ByteBuf> observer) {
        this.observer = observer;
    }

    /** Plays every step whole except step {@code splitStep}, which is cut at {@code cut}. */
    void playSplit(Conversation conversation, int splitStep, int cut) {
        List<Conversation.Step> steps = conversation.steps();
        for (int i = 0; i < steps.size(); i++) {
            Conversation.Step step = steps.get(i);
            if (i == splitStep) {
                feed(step.fromClient(), step.bytes(), 0, cut);
                feed(step.fromClient(), step.bytes(), cut, step.bytes().length);
            } else {
                feed(step.fromClient(), step.bytes(), 0, step.bytes().length);
            }
        }
    }

    /** Plays every step cut into random pieces of 1 to {@code maxPiece} bytes. */
    void playRandomly(Conversation conversation, Random random, int maxPiece) {
        for (Conversation.Step step : conversation.steps()) {
            feedRandomly(step.fromClient(), step.bytes(), random, maxPiece);
        }
    }

    void feedRandomly(boolean fromClient, byte[] bytes, Random random, int maxPiece) {
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(maxPiece));
            feed(fromClient, bytes, at, at + n);
            at += n;
        }
    }

    void feed(boolean fromClient, byte[] bytes, int from, int to) {
        if (from >= to) {
            return;
        }
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(to - from + 16);
        buf.writeZero(8).skipBytes(8);
        buf.writeBytes(bytes, from, to - from);
        int reader = buf.readerIndex();
        int writer = buf.writerIndex();
        try {
            observer.accept(fromClient, buf);
            assertThat(buf.refCnt()).as("the observer may retain, never release, the caller's buffer").isPositive();
            assertThat(buf.readerIndex()).isEqualTo(reader);
            assertThat(buf.writerIndex()).isEqualTo(writer);
            for (int i = from; i < to; i++) {
                if (buf.getByte(reader + i - from) != bytes[i]) {
                    throw new AssertionError("observer changed byte " + i);
                }
            }
        } finally {
            buf.release();
            fed.add(buf);
        }
    }

    /** Checks, after the observer was closed, that it kept no buffer. */
    void assertNothingRetained() {
        for (ByteBuf buf : fed) {
            assertThat(buf.refCnt()).as("buffer still retained after close").isZero();
        }
    }
}
