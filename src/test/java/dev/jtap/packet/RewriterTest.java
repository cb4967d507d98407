package dev.jtap.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RewriterTest {
    private final PacketView v = new PacketView();

    private record Placed(Reference.Generated packet, ByteBuffer buf, int offset) {
        byte[] current() {
            byte[] out = new byte[packet.bytes().length];
            buf.get(offset, out);
            return out;
        }
    }

    private static Placed place(Random r, Reference.Generated g) {
        int offset = r.nextInt(0, 16);
        ByteBuffer b = Reference.buffer(r, offset + g.bytes().length + r.nextInt(0, 8));
        b.put(offset, g.bytes());
        return new Placed(g, b, offset);
    }

    private static byte[] randomAddress(Random r, int length) {
        byte[] a = new byte[length];
        r.nextBytes(a);
        if (r.nextInt(20) == 0) {
            Arrays.fill(a, (byte) 0);
        }
        return a;
    }

    @Test
    void incrementalChecksumEqualsFullRecomputation() {
        Random r = new Random(10);
        for (int round = 0; round < 10_000; round++) {
            Reference.Generated g = Reference.randomPacket(r);
            Placed p = place(r, g);
            assertThat(v.parse(p.buf(), p.offset(), p.buf().capacity() - p.offset())).isTrue();
            int addrLength = v.addrLength();
            byte[] src = randomAddress(r, addrLength);
            byte[] dst = randomAddress(r, addrLength);
            int srcPort = r.nextInt(0x10000);
            int dstPort = r.nextInt(0x10000);

            Rewriter.rewrite(v, src, srcPort, dst, dstPort, false);

            byte[] after = p.current();
            int stored = Reference.u16(after, g.checksumAt());
            assertThat(stored).as("round %d", round).isEqualTo(Reference.expectedL4Checksum(
                    after, g.version(), g.protocol(), g.l4Offset(), g.l4Length(), g.checksumAt()));
            assertThat(v.l4ChecksumValid()).isTrue();
            assertThat(v.ipHeaderChecksumValid()).isTrue();
            assertThat(p.buf().position()).isZero();

            assertThat(v.parse(p.buf(), p.offset(), g.bytes().length)).isTrue();
            byte[] actual = new byte[addrLength];
            v.copySrcAddr(actual);
            assertThat(actual).isEqualTo(src);
            v.copyDstAddr(actual);
            assertThat(actual).isEqualTo(dst);
            assertThat(v.srcPort()).isEqualTo(srcPort);
            assertThat(v.dstPort()).isEqualTo(dstPort);
            assertThat(v.payloadLength()).isEqualTo(g.payloadLength());
        }
    }

    @Test
    void partialChecksumFollowsThePseudoHeaderOfTheNewAddresses() {
        Random r = new Random(11);
        for (int round = 0; round < 10_000; round++) {
            Reference.Generated g = Reference.randomPacket(r);
            byte[] bytes = g.bytes();
            int pseudo = Reference.pseudo(bytes, g.version(), g.protocol(), g.l4Length());
            Reference.put16(bytes, g.checksumAt(), pseudo);
            Placed p = place(r, g);
            assertThat(v.parse(p.buf(), p.offset(), bytes.length)).isTrue();
            byte[] src = randomAddress(r, v.addrLength());
            byte[] dst = randomAddress(r, v.addrLength());

            Rewriter.rewrite(v, src, r.nextInt(0x10000), dst, r.nextInt(0x10000), true);

            assertThat(Reference.u16(p.current(), g.checksumAt()))
                    .as("round %d", round)
                    .isEqualTo(Reference.pseudo(src, dst, g.protocol(), g.l4Length()));
            assertThat(v.ipHeaderChecksumValid()).isTrue();
        }
    }

    @Test
    void ipv4UdpWithoutChecksumKeepsZero() {
        Random r = new Random(12);
        Reference.Generated g = Reference.randomPacket(r, 4, Reference.UDP, 33);
        Reference.put16(g.bytes(), g.checksumAt(), 0);
        ByteBuffer b = ByteBuffer.wrap(g.bytes());
        assertThat(v.parse(b, 0, g.bytes().length)).isTrue();
        Rewriter.rewrite(v, new byte[] {10, 0, 0, 1}, 1000, new byte[] {10, 0, 0, 2}, 2000, false);
        assertThat(Reference.u16(g.bytes(), g.checksumAt())).isZero();
        assertThat(v.srcPort()).isEqualTo(1000);
        assertThat(v.ipHeaderChecksumValid()).isTrue();
    }

    @Test
    void rewritesTheCapturedSyn() {
        byte[] p = Reference.hex(KnownPackets.IPV4_TCP_SYN);
        ByteBuffer b = ByteBuffer.wrap(p);
        assertThat(v.parse(b, 0, p.length)).isTrue();
        Rewriter.rewrite(v, new byte[] {(byte) 192, (byte) 168, 7, 1}, 40000, new byte[] {1, 1, 1, 1}, 853, false);
        assertThat(PacketDescriber.describe(v)).isEqualTo("TCP 192.168.7.1:40000 > 1.1.1.1:853 [S] seq=123456789 ack=0 len=0");
        assertThat(v.l4ChecksumValid()).isTrue();
        assertThat(v.ipHeaderChecksumValid()).isTrue();
    }

    @Test
    void rejectsWhatItCannotRewrite() {
        byte[] p = Reference.hex(KnownPackets.IPV6_TCP_PSH_ACK);
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isTrue();
        assertThatThrownBy(() -> Rewriter.rewrite(v, new byte[4], 1, new byte[4], 2, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rewriter.rewrite(v, new byte[16], 70000, new byte[16], 2, false))
                .isInstanceOf(IllegalArgumentException.class);
        p[6] = 47;
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isTrue();
        assertThatThrownBy(() -> Rewriter.rewrite(v, new byte[16], 1, new byte[16], 2, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
