package dev.jtap.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DerTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesTheExamplesOfX690() {
        assertThat(HEX.formatHex(Der.objectIdentifier("1.2.840.113549.1.1.11"))).isEqualTo("06092a864886f70d01010b");
        assertThat(HEX.formatHex(Der.objectIdentifier("2.999.3"))).isEqualTo("0603883703");
        assertThat(HEX.formatHex(Der.integer(BigInteger.valueOf(128)))).isEqualTo("02020080");
        assertThat(HEX.formatHex(Der.integer(BigInteger.valueOf(-129)))).isEqualTo("0202ff7f");
        assertThat(HEX.formatHex(Der.bool(true))).isEqualTo("0101ff");
        assertThat(HEX.formatHex(Der.nullValue())).isEqualTo("0500");
        assertThat(HEX.formatHex(Der.utf8String("é"))).isEqualTo("0c02c3a9");
    }

    @Test
    void namedBitsDropTrailingZeroBits() {
        assertThat(HEX.formatHex(Der.namedBits(0))).isEqualTo("03020780"); // digitalSignature
        assertThat(HEX.formatHex(Der.namedBits(5, 6))).isEqualTo("03020106"); // keyCertSign, cRLSign
        assertThat(HEX.formatHex(Der.namedBits(8))).isEqualTo("0303070080");
    }

    @Test
    void lengthsOf128AndMoreUseTheLongForm() {
        assertThat(HEX.formatHex(Der.octetString(new byte[127]), 0, 2)).isEqualTo("047f");
        assertThat(HEX.formatHex(Der.octetString(new byte[128]), 0, 3)).isEqualTo("048180");
        assertThat(HEX.formatHex(Der.octetString(new byte[70_000]), 0, 5)).isEqualTo("0483011170");
        byte[] big = Der.sequence(Der.octetString(new byte[300]), Der.nullValue());
        List<Der.Element> children = Der.Element.parse(big).children(Der.SEQUENCE);
        assertThat(children).hasSize(2);
        assertThat(children.get(0).contents()).hasSize(300);
        assertThat(children.get(1).tag()).isEqualTo(Der.NULL);
    }

    @Test
    void timesBefore2050AreUtcTimeLaterOnesGeneralizedTime() {
        assertThat(new String(Der.time(Instant.parse("2026-12-04T12:00:05Z")), 2, 13, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("261204120005Z");
        assertThat(Der.time(Instant.parse("2026-12-04T12:00:05Z"))[0]).isEqualTo((byte) Der.UTC_TIME);
        assertThat(new String(Der.time(Instant.parse("2050-01-01T00:00:00Z")), 2, 15, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("20500101000000Z");
    }

    @Test
    void setOfIsSortedByEncoding() {
        byte[] set = Der.setOf(List.of(Der.utf8String("b"), Der.integer(BigInteger.ONE), Der.utf8String("a")));
        assertThat(HEX.formatHex(set)).isEqualTo("3109" + "020101" + "0c0161" + "0c0162");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.840.10045.4.3.2", "2.5.29.35", "1.3.101.112", "2.999.1234567890123", "0.0"})
    void objectIdentifiersRoundTrip(String dotted) {
        assertThat(Der.Element.parse(Der.objectIdentifier(dotted)).objectIdentifier()).isEqualTo(dotted);
    }

    @Test
    void malformedInputIsAnIllegalArgument() {
        for (String hex : List.of("", "30", "3005020101", "3080", "30850000000001", "1f0100", "300302010100", "0600", "060188")) {
            assertThatThrownBy(() -> {
                Der.Element element = Der.Element.parse(HEX.parseHex(hex));
                if (element.tag() == Der.OBJECT_IDENTIFIER) {
                    element.objectIdentifier();
                }
            }).as(hex).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButIllegalArgument() {
        Random random = new Random(20261204);
        byte[] valid = Der.sequence(Der.objectIdentifier("2.5.4.3"), Der.setOf(List.of()), Der.octetString(new byte[200]));
        for (int round = 0; round < 20_000; round++) {
            byte[] input = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            byte[] truncated = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
            try {
                walk(Der.Element.parse(truncated));
            } catch (IllegalArgumentException expected) {
                // dropped, as every caller does
            }
        }
    }

    private static void walk(Der.Element element) {
        if ((element.tag() & 0x20) != 0) {
            element.children().forEach(DerTest::walk);
        } else if (element.tag() == Der.OBJECT_IDENTIFIER) {
            element.objectIdentifier();
        }
    }
}
