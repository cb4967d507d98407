package dev.jtap.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER (ITU-T X.690) to write X.509 certificates and to walk names and private keys:
 * single-byte tags, definite lengths. Writers return whole encodings (tag, length, contents).
 */
final class Der {
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int UTF8_STRING = 0x0c;
    static final int PRINTABLE_STRING = 0x13;
    static final int T61_STRING = 0x14;
    static final int IA5_STRING = 0x16;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int VISIBLE_STRING = 0x1a;
    static final int UNIVERSAL_STRING = 0x1c;
    static final int BMP_STRING = 0x1e;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    private static final int CONTEXT_PRIMITIVE = 0x80;
    private static final int CONTEXT_CONSTRUCTED = 0xa0;

    private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {}

    static byte[] element(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        if (contents.length < 0x80) {
            out.write(contents.length);
        } else {
            int lengthBytes = (Integer.SIZE - Integer.numberOfLeadingZeros(contents.length) + 7) / 8;
            out.write(0x80 | lengthBytes);
            for (int shift = 8 * (lengthBytes - 1); shift >= 0; shift -= 8) {
                out.write(contents.length >>> shift);
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        return element(SEQUENCE, concat(List.of(elements)));
    }

    /** A SET OF: DER orders its elements by their encodings. */
    static byte[] setOf(List<byte[]> elements) {
        List<byte[]> sorted = new ArrayList<>(elements);
        sorted.sort(Arrays::compareUnsigned);
        return element(SET, concat(sorted));
    }

    static byte[] integer(BigInteger value) {
        return element(INTEGER, value.toByteArray());
    }

    static byte[] bool(boolean value) {
        return element(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0)});
    }

    static byte[] nullValue() {
        return element(NULL, new byte[0]);
    }

    static byte[] objectIdentifier(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, new BigInteger(arcs[0]).multiply(BigInteger.valueOf(40)).add(new BigInteger(arcs[1])));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, new BigInteger(arcs[i]));
        }
        return element(OBJECT_IDENTIFIER, out.toByteArray());
    }

    static byte[] octetString(byte[] contents) {
        return element(OCTET_STRING, contents);
    }

    /** A BIT STRING of whole bytes. */
    static byte[] bitString(byte[] bytes) {
        return bitString(bytes, 0);
    }

    static byte[] bitString(byte[] bytes, int unusedBits) {
        byte[] contents = new byte[bytes.length + 1];
        contents[0] = (byte) unusedBits;
        System.arraycopy(bytes, 0, contents, 1, bytes.length);
        return element(BIT_STRING, contents);
    }

    /** A named-bit BIT STRING (as KeyUsage) with bit 0 the first bit; DER drops trailing zero bits. */
    static byte[] namedBits(int... bits) {
        int highest = Arrays.stream(bits).max().orElseThrow();
        byte[] bytes = new byte[highest / 8 + 1];
        for (int bit : bits) {
            bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return bitString(bytes, 7 - highest % 8);
    }

    static byte[] utf8String(String text) {
        return element(UTF8_STRING, text.getBytes(StandardCharsets.UTF_8));
    }

    /** X.509 Time: UTCTime for the years 1950 to 2049, GeneralizedTime otherwise (RFC 5280 4.1.2.5). */
    static byte[] time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        boolean utcTime = utc.getYear() >= 1950 && utc.getYear() < 2050;
        String text = (utcTime ? UTC_TIME_FORMAT : GENERALIZED_TIME_FORMAT).format(utc);
        return element(utcTime ? UTC_TIME : GENERALIZED_TIME, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code [n] EXPLICIT}: the element wrapped in a constructed context tag. */
    static byte[] explicit(int number, byte[] element) {
        return element(CONTEXT_CONSTRUCTED | number, element);
    }

    /** {@code [n] IMPLICIT} of a primitive type: its contents under a context tag. */
    static byte[] implicitPrimitive(int number, byte[] contents) {
        return element(CONTEXT_PRIMITIVE | number, contents);
    }

    /** The tag a context-specific constructed {@code [n]} has. */
    static int contextTag(int number) {
        return CONTEXT_CONSTRUCTED | number;
    }

    private static void writeBase128(ByteArrayOutputStream out, BigInteger value) {
        int groups = Math.max(1, (value.bitLength() + 6) / 7);
        for (int group = groups - 1; group >= 0; group--) {
            int bits = value.shiftRight(7 * group).intValue() & 0x7f;
            out.write(group == 0 ? bits : bits | 0x80);
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /**
     * One parsed element of a DER encoding. Malformed input (a length past the end, an
     * indefinite length, trailing bytes) is an {@link IllegalArgumentException}.
     */
    record Element(int tag, byte[] encoding, int contentOffset) {

        /** The single element {@code der} consists of. */
        static Element parse(byte[] der) {
            Element element = parseAt(der, 0, der.length);
            if (element.encoding.length != der.length) {
                throw new IllegalArgumentException("malformed DER: " + (der.length - element.encoding.length)
                        + " bytes after the element");
            }
            return element;
        }

        private static Element parseAt(byte[] der, int offset, int end) {
            if (end - offset < 2) {
                throw new IllegalArgumentException("malformed DER: truncated element");
            }
            int tag = der[offset] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new IllegalArgumentException("malformed DER: multi-byte tag");
            }
            int first = der[offset + 1] & 0xff;
            int position = offset + 2;
            long length = first;
            if (first >= 0x80) {
                int lengthBytes = first & 0x7f;
                if (lengthBytes == 0 || lengthBytes > 4 || end - position < lengthBytes) {
                    throw new IllegalArgumentException("malformed DER: bad length");
                }
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = length << 8 | (der[position++] & 0xff);
                }
            }
            if (length > end - position) {
                throw new IllegalArgumentException("malformed DER: length " + length + " past the end");
            }
            int elementEnd = position + (int) length;
            return new Element(tag, Arrays.copyOfRange(der, offset, elementEnd), position - offset);
        }

        byte[] contents() {
            return Arrays.copyOfRange(encoding, contentOffset, encoding.length);
        }

        /** The elements inside a constructed element (SEQUENCE, SET, [n] EXPLICIT). */
        List<Element> children() {
            if ((tag & 0x20) == 0) {
                throw new IllegalArgumentException("malformed DER: tag 0x" + Integer.toHexString(tag) + " is not constructed");
            }
            List<Element> children = new ArrayList<>();
            int position = contentOffset;
            while (position < encoding.length) {
                Element child = parseAt(encoding, position, encoding.length);
                children.add(child);
                position += child.encoding.length;
            }
            return children;
        }

        /** This element's children, checking that it has the expected tag. */
        List<Element> children(int expectedTag) {
            expect(expectedTag);
            return children();
        }

        Element expect(int expectedTag) {
            if (tag != expectedTag) {
                throw new IllegalArgumentException("malformed DER: expected tag 0x" + Integer.toHexString(expectedTag)
                        + ", found 0x" + Integer.toHexString(tag));
            }
            return this;
        }

        /** The dotted form of an OBJECT IDENTIFIER. */
        String objectIdentifier() {
            expect(OBJECT_IDENTIFIER);
            byte[] contents = contents();
            StringBuilder dotted = new StringBuilder();
            BigInteger value = BigInteger.ZERO;
            boolean first = true;
            for (byte b : contents) {
                value = value.shiftLeft(7).or(BigInteger.valueOf(b & 0x7f));
                if ((b & 0x80) == 0) {
                    if (first) {
                        int top = value.compareTo(BigInteger.valueOf(80)) >= 0 ? 2 : value.intValue() / 40;
                        dotted.append(top).append('.').append(value.subtract(BigInteger.valueOf(40L * top)));
                        first = false;
                    } else {
                        dotted.append('.').append(value);
                    }
                    value = BigInteger.ZERO;
                }
            }
            if (first || (contents[contents.length - 1] & 0x80) != 0) {
                throw new IllegalArgumentException("malformed DER: truncated object identifier");
            }
            return dotted.toString();
        }
    }
}
