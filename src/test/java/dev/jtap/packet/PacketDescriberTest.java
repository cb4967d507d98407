package dev.jtap.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PacketDescriberTest {
    private final PacketView v = new PacketView();

    private String describe(String hex) {
        byte[] p = Reference.hex(hex);
        assertThat(v.parse(ByteBuffer.wrap(p), 0, p.length)).isTrue();
        return PacketDescriber.describe(v);
    }

    @Test
    void tcp() {
        assertThat(describe(KnownPackets.IPV4_TCP_SYN))
                .isEqualTo("TCP 10.1.1.100:43210 > 93.184.216.34:443 [S] seq=123456789 ack=0 len=0");
        assertThat(describe(KnownPackets.IPV6_TCP_PSH_ACK))
                .isEqualTo("TCP [2001:db8::1]:8080 > [2001:db8:0:1::2]:50000 [P.] seq=1000 ack=2000 len=5");
    }

    @Test
    void udpAndOtherProtocols() {
        ByteBuffer out = ByteBuffer.allocate(200);
        byte[] src = Reference.hex("fe800000000000000000000000000001");
        byte[] dst = Reference.hex("ff0200000000000000000000000000fb");
        int n = PacketBuilder.udp(out, 0, src, 5353, dst, 5353, ByteBuffer.allocate(40));
        assertThat(v.parse(out, 0, n)).isTrue();
        assertThat(PacketDescriber.describe(v)).isEqualTo("UDP [fe80::1]:5353 > [ff02::fb]:5353 len=40");

        out.put(6, (byte) 59);
        assertThat(v.parse(out, 0, n)).isTrue();
        assertThat(PacketDescriber.describe(v)).isEqualTo("IPv6 proto=59 fe80::1 > ff02::fb len=48");

        assertThat(v.parse(out, 0, 3)).isFalse();
        assertThat(PacketDescriber.describe(v)).isEqualTo("invalid packet: TRUNCATED");
    }

    @Test
    void ipv6TextForm() {
        assertThat(format("00000000000000000000000000000000")).isEqualTo("::");
        assertThat(format("00000000000000000000000000000001")).isEqualTo("::1");
        assertThat(format("20010db8000000000001000000000001")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(format("20010db8000100000000000000000000")).isEqualTo("2001:db8:1::");
        assertThat(format("20010db8000000010001000100010001")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(format("00000000000000000000ffff0a000001")).isEqualTo("::ffff:a00:1");
    }

    private static String format(String hex) {
        StringBuilder s = new StringBuilder();
        PacketDescriber.appendIpv6(s, ByteBuffer.wrap(Reference.hex(hex)), 0);
        return s.toString();
    }
}
