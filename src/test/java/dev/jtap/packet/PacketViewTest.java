package dev.jtap.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PacketViewTest {
    private final PacketView v = new PacketView();

    private static ByteBuffer directAt(int offset, byte[] packet, int trailing) {
        ByteBuffer b = ByteBuffer.allocateDirect(offset + packet.length + trailing);
        b.put(offset, packet);
        return b;
    }

    @Test
    void parsesCapturedIpv4Syn() throws Exception {
        byte[] p = Reference.hex(KnownPackets.IPV4_TCP_SYN);
        ByteBuffer b = directAt(7, p, 5);
        assertThat(v.parse(b, 7, p.length + 5)).isTrue();
        assertThat(v.dropReason()).isEqualTo(DropReason.NONE);
        assertThat(v.ipVersion()).isEqualTo(4);
        assertThat(v.protocol()).isEqualTo(6);
        assertThat(v.ipHeaderLength()).isEqualTo(20);
        assertThat(v.totalLength()).isEqualTo(60);
        assertThat(v.l4Offset()).isEqualTo(27);
        assertThat(v.l4Length()).isEqualTo(40);
        assertThat(v.addrLength()).isEqualTo(4);
        assertThat(v.srcAddrOffset()).isEqualTo(7 + 12);
        assertThat(v.dstAddrOffset()).isEqualTo(7 + 16);
        assertThat(v.srcAddress()).isEqualTo(InetAddress.getByName("10.1.1.100"));
        assertThat(v.dstAddress()).isEqualTo(InetAddress.getByName("93.184.216.34"));
        assertThat(v.srcPort()).isEqualTo(43210);
        assertThat(v.dstPort()).isEqualTo(443);
        assertThat(v.tcpFlags()).isEqualTo(PacketView.SYN);
        assertThat(v.tcpSeq()).isEqualTo(123456789L);
        assertThat(v.tcpAck()).isZero();
        assertThat(v.tcpWindow()).isEqualTo(64240);
        assertThat(v.tcpHeaderLength()).isEqualTo(40);
        assertThat(v.payloadOffset()).isEqualTo(7 + 60);
        assertThat(v.payloadLength()).isZero();
        assertThat(v.icmpType()).isEqualTo(-1);
        assertThat(v.ipHeaderChecksumValid()).isTrue();
        assertThat(v.l4ChecksumValid()).isTrue();
        assertThat(b.position()).isZero();
        assertThat(b.limit()).isEqualTo(b.capacity());

        byte[] addr = new byte[4];
        v.copyDstAddr(addr);
        assertThat(addr).containsExactly(93, 184, 216, 34);
        v.copySrcAddr(addr);
        assertThat(addr).containsExactly(10, 1, 1, 100);
    }

    @Test
    void parsesIpv6TcpWithPayload() throws Exception {
        byte[] p = Reference.hex(KnownPackets.IPV6_TCP_PSH_ACK);
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isTrue();
        assertThat(v.ipVersion()).isEqualTo(6);
        assertThat(v.ipHeaderLength()).isEqualTo(40);
        assertThat(v.totalLength()).isEqualTo(65);
        assertThat(v.addrLength()).isEqualTo(16);
        assertThat(v.srcAddress()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(v.dstAddress()).isEqualTo(InetAddress.getByName("2001:db8:0:1::2"));
        assertThat(v.srcPort()).isEqualTo(8080);
        assertThat(v.dstPort()).isEqualTo(50000);
        assertThat(v.tcpFlags()).isEqualTo(PacketView.PSH | PacketView.ACK);
        assertThat(v.tcpSeq()).isEqualTo(1000);
        assertThat(v.tcpAck()).isEqualTo(2000);
        assertThat(v.payloadLength()).isEqualTo(5);
        assertThat(v.payloadOffset()).isEqualTo(60);
        assertThat(v.l4ChecksumValid()).isTrue();

        p[p.length - 1] ^= 1;
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isTrue();
        assertThat(v.l4ChecksumValid()).isFalse();
    }

    @Test
    void ipv4MappedIpv6AddressStaysIpv6() {
        byte[] p = Reference.hex(KnownPackets.IPV6_TCP_PSH_ACK);
        byte[] mapped = Reference.hex("00000000000000000000ffff0a000001");
        System.arraycopy(mapped, 0, p, 8, 16);
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isTrue();
        assertThat(v.srcAddress()).isInstanceOf(Inet6Address.class);
    }

    @Test
    void skipsIpv6ExtensionHeaders() {
        byte[] base = Reference.hex(KnownPackets.IPV6_TCP_PSH_ACK);
        byte[] p = new byte[base.length + 8 + 16];
        System.arraycopy(base, 0, p, 0, 40);
        System.arraycopy(base, 40, p, 64, base.length - 40);
        Reference.put16(p, 4, p.length - 40);
        p[6] = 0; // hop-by-hop
        p[40] = 60; // then destination options, 16 bytes
        p[41] = 0;
        p[48] = 6;
        p[49] = 1;
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isTrue();
        assertThat(v.ipHeaderLength()).isEqualTo(64);
        assertThat(v.l4Offset()).isEqualTo(64);
        assertThat(v.protocol()).isEqualTo(6);
        assertThat(v.dstPort()).isEqualTo(50000);
        assertThat(v.payloadLength()).isEqualTo(5);
        assertThat(v.l4ChecksumValid()).isTrue();

        p[48] = 44;
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isFalse();
        assertThat(v.dropReason()).isEqualTo(DropReason.FRAGMENT);
        p[48] = 51;
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isFalse();
        assertThat(v.dropReason()).isEqualTo(DropReason.UNSUPPORTED_EXTENSION);
        p[48] = 6;
        p[49] = 40;
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isFalse();
        assertThat(v.dropReason()).isEqualTo(DropReason.TRUNCATED);
    }

    @Test
    void ipv4OptionsAndTrailingPadding() {
        byte[] syn = Reference.hex(KnownPackets.IPV4_TCP_SYN);
        byte[] p = new byte[syn.length + 8 + 10];
        System.arraycopy(syn, 0, p, 0, 20);
        System.arraycopy(syn, 20, p, 28, syn.length - 20);
        p[0] = 0x47;
        Reference.put16(p, 2, syn.length + 8);
        p[20] = 1; // NOPs
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isTrue();
        assertThat(v.ipHeaderLength()).isEqualTo(28);
        assertThat(v.totalLength()).isEqualTo(68);
        assertThat(v.l4Length()).isEqualTo(40);
        assertThat(v.dstPort()).isEqualTo(443);
        assertThat(v.l4ChecksumValid()).isTrue();
    }

    @Test
    void rejectsMalformedPackets() {
        byte[] syn = Reference.hex(KnownPackets.IPV4_TCP_SYN);
        assertDrop(syn, 0, syn.length, DropReason.NONE);
        assertDrop(syn, 0, 0, DropReason.TRUNCATED);
        assertDrop(syn, 0, 19, DropReason.TRUNCATED);
        assertDrop(syn, 0, 59, DropReason.BAD_TOTAL_LENGTH);
        assertDrop(syn, -1, 10, DropReason.INVALID_BOUNDS);
        assertDrop(syn, 10, syn.length, DropReason.INVALID_BOUNDS);
        assertDrop(syn, 0, -1, DropReason.INVALID_BOUNDS);
        assertThat(v.parse(null, 0, 0)).isFalse();
        assertThat(v.dropReason()).isEqualTo(DropReason.INVALID_BOUNDS);

        assertDrop(with(syn, 0, 0x55), 0, syn.length, DropReason.BAD_VERSION);
        assertDrop(with(syn, 0, 0x44), 0, syn.length, DropReason.BAD_HEADER_LENGTH);
        assertDrop(with(syn, 3, 19), 0, syn.length, DropReason.BAD_TOTAL_LENGTH);
        assertDrop(with(syn, 6, 0x20), 0, syn.length, DropReason.FRAGMENT); // MF
        assertDrop(with(syn, 7, 0x01), 0, syn.length, DropReason.FRAGMENT); // offset 8
        assertDrop(with(syn, 32, 0x40), 0, syn.length, DropReason.BAD_HEADER_LENGTH); // data offset 4
        assertDrop(with(syn, 32, 0xf0), 0, syn.length, DropReason.TRUNCATED); // data offset 60
        assertDrop(with(with(syn, 3, 39), 0, 0x45), 0, syn.length, DropReason.TRUNCATED);

        byte[] v6 = Reference.hex(KnownPackets.IPV6_TCP_PSH_ACK);
        assertDrop(v6, 0, 39, DropReason.TRUNCATED);
        assertDrop(v6, 0, v6.length - 1, DropReason.BAD_TOTAL_LENGTH);
        assertDrop(with(v6, 6, 44), 0, v6.length, DropReason.FRAGMENT);
    }

    @Test
    void validatesUdpLength() {
        byte[] udp = Reference.randomPacket(new java.util.Random(5), 4, 17, 10).bytes();
        int l4 = (udp[0] & 0xf) * 4;
        assertDrop(udp, 0, udp.length, DropReason.NONE);
        assertThat(v.payloadLength()).isEqualTo(10);
        assertThat(v.l4ChecksumValid()).isTrue();
        Reference.put16(udp, l4 + 4, 7);
        assertDrop(udp, 0, udp.length, DropReason.BAD_UDP_LENGTH);
        Reference.put16(udp, l4 + 4, 19);
        assertDrop(udp, 0, udp.length, DropReason.BAD_UDP_LENGTH);
        Reference.put16(udp, l4 + 4, 12);
        assertDrop(udp, 0, udp.length, DropReason.NONE);
        assertThat(v.l4Length()).isEqualTo(12);
        assertThat(v.payloadLength()).isEqualTo(4);
        Reference.put16(udp, l4 + 6, 0);
        assertDrop(udp, 0, udp.length, DropReason.NONE);
        assertThat(v.l4ChecksumValid()).isTrue();
    }

    @Test
    void otherProtocolsParseWithoutPorts() {
        byte[] syn = with(Reference.hex(KnownPackets.IPV4_TCP_SYN), 9, 47);
        assertDrop(syn, 0, syn.length, DropReason.NONE);
        assertThat(v.protocol()).isEqualTo(47);
        assertThat(v.srcPort()).isEqualTo(-1);
        assertThat(v.tcpFlags()).isEqualTo(-1);
        assertThat(v.payloadOffset()).isEqualTo(v.l4Offset());
        assertThat(v.payloadLength()).isEqualTo(40);
        assertThat(v.l4ChecksumValid()).isFalse();
    }

    private static byte[] with(byte[] p, int at, int value) {
        byte[] copy = p.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private void assertDrop(byte[] p, int offset, int length, DropReason reason) {
        assertThat(v.parse(ByteBuffer.wrap(p), offset, length)).isEqualTo(reason == DropReason.NONE);
        assertThat(v.dropReason()).isEqualTo(reason);
    }
}
