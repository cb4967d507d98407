package dev.jtap.record.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {

    private static final long T = 1_740_830_400_123_456_789L;

    @TempDir
    Path dir;

    record Packet(long seconds, long nanos, int captured, int original, byte[] data) {
    }

    @Test
    void threePacketsReadBackByHand() throws IOException {
        Path file = dir.resolve("three.pcap");
        byte[] udp = ipv4Udp(40);
        byte[] tcp = ipv4Udp(1400);
        byte[] big = ipv4Udp(70_000 - 28);
        ByteBuffer framed = ByteBuffer.allocate(tcp.length + 10).put(5, tcp);
        framed.position(3).limit(tcp.length + 8);
        try (PcapWriter writer = new PcapWriter(file)) {
            writer.write(ByteBuffer.wrap(udp), 0, udp.length, T);
            assertThat(readBack(file)).hasSize(1);
            writer.write(framed, 5, tcp.length, T + 1_000_000_000L);
            writer.write(ByteBuffer.wrap(big), 0, big.length, T + 2_500_000_000L);
            assertThat(readBack(file)).hasSize(3);
        }
        assertThat(framed.position()).isEqualTo(3);
        assertThat(framed.limit()).isEqualTo(tcp.length + 8);

        List<Packet> packets = readBack(file);
        assertThat(packets.get(0)).satisfies(p -> {
            assertThat(p.seconds()).isEqualTo(1_740_830_400L);
            assertThat(p.nanos()).isEqualTo(123_456_789L);
            assertThat(p.data()).isEqualTo(udp);
        });
        assertThat(packets.get(1).data()).isEqualTo(tcp);
        assertThat(packets.get(1).seconds()).isEqualTo(1_740_830_401L);
        assertThat(packets.get(2).original()).isEqualTo(70_000);
        assertThat(packets.get(2).captured()).isEqualTo(70_000);
        assertThat(packets.get(2).nanos()).isEqualTo(623_456_789L);
    }

    @Test
    void packetsBeyondTheSnapLengthAreCut() throws IOException {
        Path file = dir.resolve("huge.pcap");
        byte[] huge = new byte[PcapWriter.SNAPLEN + 100];
        try (PcapWriter writer = new PcapWriter(file)) {
            writer.write(ByteBuffer.wrap(huge), 0, huge.length, T);
        }
        Packet packet = readBack(file).getFirst();
        assertThat(packet.captured()).isEqualTo(PcapWriter.SNAPLEN);
        assertThat(packet.original()).isEqualTo(huge.length);
    }

    @Test
    void tsharkReadsTheFile() throws Exception {
        Path file = dir.resolve("tshark.pcap");
        try (PcapWriter writer = new PcapWriter(file)) {
            for (int i = 0; i < 3; i++) {
                byte[] packet = ipv4Udp(20 + i);
                writer.write(ByteBuffer.wrap(packet), 0, packet.length, T + i);
            }
        }
        Process tshark;
        try {
            tshark = new ProcessBuilder("tshark", "-r", file.toString()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "tshark is not installed");
            return;
        }
        assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(line -> line.contains("UDP"))).hasSize(3);
    }

    private static List<Packet> readBack(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(in.getInt()).isEqualTo(0xa1b23c4d);
        assertThat(in.getShort()).isEqualTo((short) 2);
        assertThat(in.getShort()).isEqualTo((short) 4);
        assertThat(in.getInt()).isZero();
        assertThat(in.getInt()).isZero();
        assertThat(in.getInt()).isEqualTo(262_144);
        assertThat(in.getInt()).isEqualTo(101);
        List<Packet> packets = new ArrayList<>();
        while (in.hasRemaining()) {
            long seconds = Integer.toUnsignedLong(in.getInt());
            long nanos = Integer.toUnsignedLong(in.getInt());
            int captured = in.getInt();
            int original = in.getInt();
            byte[] data = new byte[captured];
            in.get(data);
            packets.add(new Packet(seconds, nanos, captured, original, data));
        }
        return packets;
    }

    /** An IPv4/UDP packet from 10.0.0.2:40000 to 192.0.2.1:53 with {@code payload} zero bytes. */
    /** A UDP datagram between two ports without a tshark dissector (port 53 would show as malformed DNS). */
    private static byte[] ipv4Udp(int payload) {
        int total = 28 + payload;
        ByteBuffer packet = ByteBuffer.allocate(total);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) Math.min(total, 0xffff))
                .putShort((short) 1).putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 2}).put(new byte[] {(byte) 192, 0, 2, 1});
        int sum = 0;
        byte[] header = Arrays.copyOf(packet.array(), 20);
        for (int i = 0; i < 20; i += 2) {
            sum += (header[i] & 0xff) << 8 | header[i + 1] & 0xff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        packet.putShort(10, (short) ~sum);
        packet.putShort((short) 40000).putShort((short) 40001).putShort((short) Math.min(8 + payload, 0xffff))
                .putShort((short) 0);
        return packet.array();
    }
}
