package dev.jtap.record;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Undoes a Content-Encoding (gzip, x-gzip, deflate in zlib or raw form, br, zstd, or a stack of them)
 * with a cap on the output size, so that a small compressed prefix cannot expand without bound. A
 * stream that simply ends early — as a truncated prefix does — yields what was decoded up to that point.
 */
public final class BodyDecoder {

    /** Hard ceiling on decoded output, whatever the configured body size. */
    public static final long MAX_OUTPUT = 64L << 20;

    private BodyDecoder() {
    }

    /** Output cap used for bodies kept with {@code maxBody}: 8 × maxBody, at most {@link #MAX_OUTPUT}. */
    public static long outputLimit(int maxBody) {
        return Math.min(8L * maxBody, MAX_OUTPUT);
    }

    /** Decodes with the cap for the default body size. */
    public static byte[] decode(byte[] data, String contentEncodingHeader) {
        return decode(data, contentEncodingHeader, outputLimit(Body.DEFAULT_MAX_BODY));
    }

    /**
     * Applies the decoders for the listed codings in reverse order of listing and stops at
     * {@code outputLimit} bytes.
     *
     * @throws BodyDecodingException for an unknown coding or corrupt data
     */
    public static byte[] decode(byte[] data, String contentEncodingHeader, long outputLimit) {
        return decode(data, contentEncodingHeader, outputLimit, false);
    }

    /**
     * As {@link #decode(byte[], String, long)}; when {@code inputTruncated} the data is known to be a
     * prefix, so a decoder failing after it produced output is taken as the prefix running out.
     */
    public static byte[] decode(byte[] data, String contentEncodingHeader, long outputLimit,
            boolean inputTruncated) {
        byte[] result = data;
        List<String> codings = codings(contentEncodingHeader);
        for (int i = codings.size() - 1; i >= 0; i--) {
            result = decodeOne(result, codings.get(i), outputLimit, inputTruncated);
        }
        return result.length > outputLimit ? Arrays.copyOf(result, (int) outputLimit) : result;
    }

    /** The codings actually applied, lower-cased, in order of listing; "identity" is dropped. */
    public static List<String> codings(String contentEncodingHeader) {
        List<String> codings = new ArrayList<>();
        if (contentEncodingHeader == null) {
            return codings;
        }
        for (String part : contentEncodingHeader.split(",")) {
            String coding = part.trim().toLowerCase(Locale.ROOT);
            if (!coding.isEmpty() && !coding.equals("identity")) {
                codings.add(coding);
            }
        }
        return codings;
    }

    private static byte[] decodeOne(byte[] data, String coding, long outputLimit, boolean inputTruncated) {
        try (InputStream in = decodingStream(new ByteArrayInputStream(data), coding, data)) {
            return readBounded(in, outputLimit, inputTruncated);
        } catch (IOException | RuntimeException e) {
            throw new BodyDecodingException(coding + ": " + e.getMessage(), e);
        }
    }

    private static InputStream decodingStream(InputStream raw, String coding, byte[] data) throws IOException {
        return switch (coding) {
            case "gzip", "x-gzip" -> new GZIPInputStream(raw);
            case "deflate" -> new InflaterInputStream(raw, new Inflater(!looksLikeZlib(data)));
            case "br" -> new BrotliInputStream(raw);
            case "zstd" -> new ZstdInputStream(raw);
            default -> throw new BodyDecodingException("unsupported Content-Encoding: " + coding);
        };
    }

    /** RFC 1950 header: compression method 8 and a header checksum divisible by 31. */
    private static boolean looksLikeZlib(byte[] data) {
        if (data.length < 2) {
            return false;
        }
        int cmf = data[0] & 0xff;
        int flg = data[1] & 0xff;
        return (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
    }

    private static byte[] readBounded(InputStream in, long outputLimit, boolean inputTruncated)
            throws IOException {
        byte[] out = new byte[(int) Math.min(outputLimit, 8192)];
        int length = 0;
        try {
            while (length < outputLimit) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(outputLimit, 2L * out.length));
                }
                int n = in.read(out, length, out.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        } catch (IOException | RuntimeException e) {
            boolean ranOutOfInput = e instanceof EOFException || inputTruncated;
            if (length == 0 || !ranOutOfInput) {
                throw e;
            }
        }
        return Arrays.copyOf(out, length);
    }
}
