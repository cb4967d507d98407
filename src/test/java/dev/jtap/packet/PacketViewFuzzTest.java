package dev.jtap.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated inputs must never make {@link PacketView#parse} throw or read outside the
 * given region. Each input is parsed twice: from a slice holding exactly the region (any read
 * outside throws), and from inside a larger buffer with random surroundings (the result must be
 * the same, shifted by the offset).
 */
class PacketViewFuzzTest {
    private static final int[] INTERESTING_PROTOCOLS = {0, 1, 6, 17, 43, 44, 51, 58, 59, 60};

    private final PacketView inSlice = new PacketView();
    private final PacketView inLarger = new PacketView();

    @Test
    void parseNeverThrowsNorReadsOutsideTheRegion() {
        Random r = new Random(30);
        int accepted = 0;
        int rounds = dev.jtap.Fuzz.iterations(30_000);
        for (int round = 0; round < rounds; round++) {
            byte[] input = switch (round % 3) {
                case 0 -> randomBytes(r);
                case 1 -> mutate(r, Reference.randomPacket(r));
                default -> corruptLengths(r, Reference.randomPacket(r));
            };
            if (check(r, input, round)) {
                accepted++;
            }
        }
        // Some inputs must survive the damage (else the test only exercises the first checks), not all.
        assertThat(accepted).isBetween(rounds / 30, rounds - rounds / 30);
    }

    private boolean check(Random r, byte[] input, int round) {
        ByteBuffer slice = ByteBuffer.allocateDirect(input.length).put(0, input).slice(0, input.length);
        boolean ok = inSlice.parse(slice, 0, input.length);
        String described = PacketDescriber.describe(inSlice);
        if (ok) {
            touchEverything(inSlice);
        }

        int offset = r.nextInt(0, 20);
        byte[] surroundings = new byte[offset + input.length + r.nextInt(0, 20)];
        r.nextBytes(surroundings);
        ByteBuffer larger = Reference.buffer(r, surroundings.length).put(0, surroundings).put(offset, input);
        boolean okLarger = inLarger.parse(larger, offset, input.length);

        assertThat(okLarger).as("round %d", round).isEqualTo(ok);
        assertThat(inLarger.dropReason()).isEqualTo(inSlice.dropReason());
        assertThat(PacketDescriber.describe(inLarger)).isEqualTo(described);
        if (ok) {
            assertThat(inLarger.l4Offset() - offset).isEqualTo(inSlice.l4Offset());
            assertThat(inLarger.payloadOffset() - offset).isEqualTo(inSlice.payloadOffset());
            assertThat(inLarger.l4Length()).isEqualTo(inSlice.l4Length());
            assertThat(inLarger.payloadLength()).isEqualTo(inSlice.payloadLength());
            assertThat(inLarger.l4ChecksumValid()).isEqualTo(inSlice.l4ChecksumValid());
            assertThat(inSlice.payloadOffset() + inSlice.payloadLength()).isLessThanOrEqualTo(input.length);
            assertThat(inSlice.totalLength()).isLessThanOrEqualTo(input.length);
        }
        assertThat(larger.position()).isZero();
        assertThat(larger.limit()).isEqualTo(surroundings.length);
        return ok;
    }

    private static void touchEverything(PacketView v) {
        v.ipVersion();
        v.protocol();
        v.ipHeaderLength();
        v.srcPort();
        v.dstPort();
        v.tcpFlags();
        v.tcpSeq();
        v.tcpAck();
        v.tcpWindow();
        v.tcpHeaderLength();
        v.icmpType();
        v.icmpCode();
        v.srcAddress();
        v.dstAddress();
        v.copySrcAddr(new byte[16]);
        v.copyDstAddr(new byte[16]);
        v.ipHeaderChecksumValid();
        v.l4ChecksumValid();
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(0, 120)];
        r.nextBytes(b);
        if (b.length > 0 && r.nextBoolean()) {
            b[0] = (byte) ((r.nextBoolean() ? 0x40 : 0x60) | b[0] & 0x0f);
        }
        return b;
    }

    private static byte[] mutate(Random r, Reference.Generated g) {
        byte[] b = g.bytes();
        int flips = r.nextInt(0, 4);
        for (int i = 0; i < flips; i++) {
            int bit = r.nextInt(b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        if (r.nextBoolean()) {
            b = Arrays.copyOf(b, r.nextInt(0, b.length + 1));
        } else if (r.nextInt(4) == 0) {
            b = Arrays.copyOf(b, b.length + r.nextInt(1, 10));
        }
        return b;
    }

    /** Sets one of the length-like fields to a random or near-boundary value. */
    private static byte[] corruptLengths(Random r, Reference.Generated g) {
        byte[] b = g.bytes();
        int l4 = g.l4Offset();
        int field = r.nextInt(5);
        switch (field) {
            case 0 -> { // IPv4 IHL / IPv6 payload length
                if (g.version() == 4) {
                    b[0] = (byte) (0x40 | r.nextInt(16));
                } else {
                    Reference.put16(b, 4, near(r, b.length - 40));
                }
            }
            case 1 -> { // IPv4 total length / IPv6 first extension length
                if (g.version() == 4) {
                    Reference.put16(b, 2, near(r, b.length));
                } else if (g.ipHeaderLength() > 40) {
                    b[41] = (byte) r.nextInt(256);
                }
            }
            case 2 -> { // TCP data offset / UDP length
                if (g.protocol() == Reference.TCP) {
                    b[l4 + 12] = (byte) (r.nextInt(16) << 4);
                } else {
                    Reference.put16(b, l4 + 4, near(r, b.length - l4));
                }
            }
            case 3 -> b[6] = (byte) r.nextInt(256); // IPv4 flags and fragment offset / IPv6 next header
            default -> b[g.version() == 4 ? 9 : 6] = (byte) (r.nextBoolean() ? r.nextInt(256) : INTERESTING_PROTOCOLS[r.nextInt(INTERESTING_PROTOCOLS.length)]);
        }
        if (r.nextInt(3) == 0) {
            b = Arrays.copyOf(b, r.nextInt(0, b.length + 1));
        }
        return b;
    }

    private static int near(Random r, int value) {
        return r.nextBoolean() ? r.nextInt(0x10000) : Math.max(0, Math.min(0xffff, value + r.nextInt(-9, 10)));
    }
}
