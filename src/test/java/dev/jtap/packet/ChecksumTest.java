package dev.jtap.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    @Test
    void sumMatchesNaiveReferenceForAllLengthsOffsetsAndBufferKinds() {
        Random r = new Random(1);
        for (int round = 0; round < 3000; round++) {
            int length = r.nextInt(0, 300);
            int offset = r.nextInt(0, 12);
            byte[] data = new byte[offset + length + r.nextInt(0, 5)];
            r.nextBytes(data);
            if (r.nextInt(10) == 0) {
                java.util.Arrays.fill(data, (byte) 0xff);
            }
            int initial = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(0x10000);
            ByteBuffer b = Reference.buffer(r, data.length);
            b.put(0, data);

            int actual = Checksum.sum(b, offset, length, initial);
            int expected = Reference.sum(data, offset, length, initial & 0xffffffffL);
            assertThat(Checksum.fold(actual)).as("round %d", round).isEqualTo(expected);
            assertThat(Checksum.fold(Checksum.sum(data, offset, length, initial))).isEqualTo(expected);
            assertThat(b.position()).isZero();
            assertThat(b.limit()).isEqualTo(data.length);
        }
    }

    @Test
    void ipv4HeaderExample() {
        byte[] header = Reference.hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        ByteBuffer b = ByteBuffer.wrap(header);
        assertThat(Checksum.fold(Checksum.sum(b, 0, 20, 0))).isEqualTo(0xffff);
        b.putShort(10, (short) 0);
        assertThat(Checksum.finish(Checksum.sum(b, 0, 20, 0))).isEqualTo(0xb861);
    }

    @Test
    void foldAndFinish() {
        assertThat(Checksum.fold(0)).isZero();
        assertThat(Checksum.fold(0xffff)).isEqualTo(0xffff);
        assertThat(Checksum.fold(0x1_0000)).isEqualTo(1);
        assertThat(Checksum.fold(0xffff_ffff)).isEqualTo(0xffff);
        assertThat(Checksum.fold(0x0001_fffe)).isEqualTo(0xffff);
        assertThat(Checksum.finish(0xffff)).isZero();
        assertThat(Checksum.finishUdp(0xffff)).isEqualTo(0xffff);
        assertThat(Checksum.finishUdp(0x1234)).isEqualTo(~0x1234 & 0xffff);
    }

    @Test
    void pseudoHeadersMatchReference() {
        Random r = new Random(2);
        for (int i = 0; i < 500; i++) {
            int addrLength = r.nextBoolean() ? 4 : 16;
            byte[] data = new byte[64];
            r.nextBytes(data);
            int srcAt = r.nextInt(0, 16);
            int dstAt = r.nextInt(32, 48);
            int protocol = r.nextInt(256);
            int length = r.nextInt(0x10000);
            byte[] src = java.util.Arrays.copyOfRange(data, srcAt, srcAt + addrLength);
            byte[] dst = java.util.Arrays.copyOfRange(data, dstAt, dstAt + addrLength);
            ByteBuffer b = Reference.buffer(r, 64).put(0, data);
            int actual = addrLength == 4
                    ? Checksum.pseudoHeaderV4(b, srcAt, dstAt, protocol, length)
                    : Checksum.pseudoHeaderV6(b, srcAt, dstAt, protocol, length);
            assertThat(Checksum.fold(actual)).isEqualTo(Reference.pseudo(src, dst, protocol, length));
        }
    }

    @Test
    void incrementalUpdateEqualsRecomputation() {
        Random r = new Random(3);
        for (int round = 0; round < 2000; round++) {
            int length = 2 * r.nextInt(10, 100);
            byte[] data = new byte[length];
            r.nextBytes(data);
            data[0] = 6; // a nonzero word, as the protocol is in every real pseudo-header
            int stored = Reference.checksum(data, 0, length, 0);
            int regionLength = r.nextBoolean() ? 4 : 16;
            int at = 2 * r.nextInt(1, (length - regionLength) / 2 + 1);
            byte[] replacement = new byte[regionLength];
            r.nextBytes(replacement);
            if (r.nextInt(10) == 0) {
                java.util.Arrays.fill(replacement, (byte) 0);
            }
            ByteBuffer old = Reference.buffer(r, length).put(0, data);
            ByteBuffer neu = Reference.buffer(r, regionLength + 3).put(3, replacement);
            int adjusted = Checksum.adjust(stored, old, at, neu, 3, regionLength);
            int oldWord = Reference.u16(data, at);

            System.arraycopy(replacement, 0, data, at, regionLength);
            assertThat(adjusted).isEqualTo(Reference.checksum(data, 0, length, 0));

            int newWord = r.nextInt(0x10000);
            int before = Reference.checksum(data, 0, length, 0);
            oldWord = Reference.u16(data, at);
            Reference.put16(data, at, newWord);
            assertThat(Checksum.adjust16(before, oldWord, newWord)).isEqualTo(Reference.checksum(data, 0, length, 0));
        }
    }

    @Test
    void partialUpdateTracksTheNonInvertedSum() {
        Random r = new Random(4);
        for (int round = 0; round < 2000; round++) {
            byte[] src = new byte[r.nextBoolean() ? 4 : 16];
            byte[] dst = new byte[src.length];
            byte[] newSrc = new byte[src.length];
            r.nextBytes(src);
            r.nextBytes(dst);
            r.nextBytes(newSrc);
            int length = r.nextInt(8, 1500);
            int partial = Reference.pseudo(src, dst, 17, length);
            int adjusted = Checksum.adjustPartial(partial, ByteBuffer.wrap(src), 0, ByteBuffer.wrap(newSrc), 0, src.length);
            assertThat(adjusted).isEqualTo(Reference.pseudo(newSrc, dst, 17, length));

            int oldWord = Reference.u16(dst, 0);
            int newWord = r.nextInt(0x10000);
            Reference.put16(dst, 0, newWord);
            assertThat(Checksum.adjust16Partial(adjusted, oldWord, newWord))
                    .isEqualTo(Reference.pseudo(newSrc, dst, 17, length));
        }
    }
}
