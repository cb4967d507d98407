package dev.jtap.packet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * <p>A "sum" here is a one's-complement accumulation of 16-bit big-endian words. The methods that
 * return sums fold them to 16 bits, so any returned sum can be passed back in as {@code initial}.
 * A sum of data that is not all zero is never 0: one's-complement zero is then represented as
 * 0xffff, which keeps results comparable with a full recomputation.
 */
public final class Checksum {
    private Checksum() {}

    /**
     * Adds the 16-bit words of {@code b[offset, offset+length)} to {@code initial} (an unsigned
     * 32-bit partial sum). An odd trailing byte is padded with a zero byte. Reads in 8-byte steps
     * and works for buffers in either byte order.
     */
    public static int sum(ByteBuffer b, int offset, int length, int initial) {
        Objects.checkFromIndexSize(offset, length, b.limit());
        int i = offset;
        int end = offset + length;
        long acc = 0;
        for (; end - i >= 8; i += 8) {
            long w = b.getLong(i);
            acc += (w >>> 32) + (w & 0xffffffffL);
        }
        if (end - i >= 4) {
            acc += b.getInt(i) & 0xffffffffL;
            i += 4;
        }
        if (end - i >= 2) {
            acc += b.getShort(i) & 0xffff;
            i += 2;
        }
        int words = foldLong(acc);
        if (b.order() == ByteOrder.LITTLE_ENDIAN) {
            // Every word was read byte-swapped; the one's-complement sum of swapped words is the
            // swapped sum (RFC 1071, section 2(B)).
            words = swap16(words);
        }
        long total = words + (initial & 0xffffffffL);
        if (i < end) {
            total += (b.get(i) & 0xff) << 8;
        }
        return foldLong(total);
    }

    /** {@link #sum(ByteBuffer, int, int, int)} over a byte array region. */
    public static int sum(byte[] b, int offset, int length, int initial) {
        Objects.checkFromIndexSize(offset, length, b.length);
        long acc = initial & 0xffffffffL;
        int end = offset + length;
        int i = offset;
        for (; end - i >= 2; i += 2) {
            acc += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
        }
        if (i < end) {
            acc += (b[i] & 0xff) << 8;
        }
        return foldLong(acc);
    }

    /** Folds an unsigned 32-bit sum to 16 bits with end-around carry; not inverted. */
    public static int fold(int sum) {
        return foldLong(sum & 0xffffffffL);
    }

    /** The value to store in a checksum field: the inverted folded sum. */
    public static int finish(int sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Like {@link #finish} but never 0, because a UDP checksum of 0 means "no checksum". */
    public static int finishUdp(int sum) {
        int c = finish(sum);
        return c == 0 ? 0xffff : c;
    }

    /** Sum of the IPv4 pseudo-header: both 4-byte addresses, the protocol and the L4 length. */
    public static int pseudoHeaderV4(
            ByteBuffer b, int srcAddrOffset, int dstAddrOffset, int protocol, int l4Length) {
        int s = sum(b, srcAddrOffset, 4, protocol + l4Length);
        return sum(b, dstAddrOffset, 4, s);
    }

    /** Sum of the IPv6 pseudo-header: both 16-byte addresses, the L4 length and next header. */
    public static int pseudoHeaderV6(
            ByteBuffer b, int srcAddrOffset, int dstAddrOffset, int protocol, int l4Length) {
        // The 32-bit length splits into two words; both are folded in by adding (hi + lo).
        int s = sum(b, srcAddrOffset, 16, protocol + (l4Length >>> 16) + (l4Length & 0xffff));
        return sum(b, dstAddrOffset, 16, s);
    }

    /** Pseudo-header sum for a packet whose addresses are {@code addrLength} bytes (4 or 16). */
    public static int pseudoHeader(
            ByteBuffer b, int srcAddrOffset, int dstAddrOffset, int addrLength, int protocol,
            int l4Length) {
        return addrLength == 4
                ? pseudoHeaderV4(b, srcAddrOffset, dstAddrOffset, protocol, l4Length)
                : pseudoHeaderV6(b, srcAddrOffset, dstAddrOffset, protocol, l4Length);
    }

    /**
     * RFC 1624 update of a stored (inverted) checksum after the covered bytes at {@code oldOff}
     * were replaced by those at {@code newOff}. {@code length} should be even, or the region must
     * end the checksummed data, since words are taken from the region's start.
     */
    public static int adjust(
            int storedChecksum, ByteBuffer oldBytes, int oldOff, ByteBuffer newBytes, int newOff,
            int length) {
        return replace(storedChecksum, sum(oldBytes, oldOff, length, 0), sum(newBytes, newOff, length, 0));
    }

    /**
     * Update of a checksum field that holds a non-inverted partial sum (the pseudo-header sum left
     * for the device or kernel to complete: Linux CHECKSUM_PARTIAL, virtio NEEDS_CSUM).
     */
    public static int adjustPartial(
            int storedPartialSum, ByteBuffer oldBytes, int oldOff, ByteBuffer newBytes, int newOff,
            int length) {
        return replacePartial(
                storedPartialSum, sum(oldBytes, oldOff, length, 0), sum(newBytes, newOff, length, 0));
    }

    /** {@link #adjust} for one 16-bit word changing from {@code oldWord} to {@code newWord}. */
    public static int adjust16(int storedChecksum, int oldWord, int newWord) {
        return replace(storedChecksum, oldWord & 0xffff, newWord & 0xffff);
    }

    /** {@link #adjustPartial} for one 16-bit word. */
    public static int adjust16Partial(int storedPartialSum, int oldWord, int newWord) {
        return replacePartial(storedPartialSum, oldWord & 0xffff, newWord & 0xffff);
    }

    /**
     * RFC 1624 eqn. 3 with precomputed sums: HC' = ~(~HC + ~m + m'), where {@code oldSum} and
     * {@code newSum} are the sums of the words that were replaced and of their replacements.
     */
    public static int replace(int storedChecksum, int oldSum, int newSum) {
        long acc = (~storedChecksum & 0xffff) + (~fold(oldSum) & 0xffff) + fold(newSum);
        return ~foldLong(acc) & 0xffff;
    }

    /** Non-inverted counterpart of {@link #replace}: S' = S + ~m + m'. */
    public static int replacePartial(int storedPartialSum, int oldSum, int newSum) {
        long acc = (storedPartialSum & 0xffff) + (~fold(oldSum) & 0xffff) + fold(newSum);
        return foldLong(acc);
    }

    private static int foldLong(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    private static int swap16(int v) {
        return (v & 0xff) << 8 | (v >>> 8) & 0xff;
    }
}
