package dev.jtap.e2e.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A reproducible pseudo-random byte stream (splitmix64) whose seed is the stream length, so a
 * test can recompute what {@code /bytes/N} served without keeping it.
 */
public final class DeterministicBytes {

    private long state;
    private long word;
    private int wordBytesLeft;

    public DeterministicBytes(long seed) {
        this.state = seed ^ 0x6a09e667f3bcc908L;
    }

    /** Fills {@code len} bytes of {@code buf} starting at {@code off} with the next stream bytes. */
    public void fill(byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && wordBytesLeft > 0) {
            buf[i++] = (byte) word;
            word >>>= 8;
            wordBytesLeft--;
        }
        while (end - i >= 8) {
            long w = next();
            for (int k = 0; k < 8; k++) {
                buf[i++] = (byte) w;
                w >>>= 8;
            }
        }
        if (i < end) {
            word = next();
            wordBytesLeft = 8;
            while (i < end) {
                buf[i++] = (byte) word;
                word >>>= 8;
                wordBytesLeft--;
            }
        }
    }

    private long next() {
        long z = (state += 0x9e3779b97f4a7c15L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The exact body of {@code /bytes/n}. */
    public static byte[] of(int n) {
        byte[] out = new byte[n];
        new DeterministicBytes(n).fill(out, 0, n);
        return out;
    }

    /** Lower-case hex SHA-256 of the body of {@code /bytes/n}, computed in a streaming fashion. */
    public static String sha256(long n) {
        MessageDigest digest = sha256Digest();
        DeterministicBytes stream = new DeterministicBytes(n);
        byte[] buf = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int len = (int) Math.min(buf.length, left);
            stream.fill(buf, 0, len);
            digest.update(buf, 0, len);
            left -= len;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256Digest().digest(data));
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
