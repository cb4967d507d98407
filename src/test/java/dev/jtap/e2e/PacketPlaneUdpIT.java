package dev.jtap.e2e;

import dev.jtap.e2e.support.Command;
import dev.jtap.e2e.support.UdpEchoServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;

import static dev.jtap.e2e.PlaneSupport.ALIAS;
import static dev.jtap.e2e.PlaneSupport.ALIAS_V4;
import static dev.jtap.e2e.PlaneSupport.ALIAS_V6;
import static dev.jtap.e2e.PlaneSupport.host;
import static dev.jtap.e2e.PlaneSupport.quote;
import static dev.jtap.e2e.PlaneSupport.jtap;
import static dev.jtap.e2e.PlaneSupport.requireTools;
import static dev.jtap.e2e.PlaneSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** UDP relaying per flow, ICMP echo, and the QUIC refusal. */
class PacketPlaneUdpIT {

    @Test
    void socatDatagramGetsItsReply() throws Exception {
        requireTools("socat");
        try (UdpEchoServer server = UdpEchoServer.start("echo:")) {
            Jtap.Result result = sh("printf 'ping' | socat -t 5 - UDP:" + ALIAS + ":" + server.port());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).isEqualTo("echo:ping");
            assertThat(server.datagrams()).isEqualTo(1);
        }
    }

    @Test
    void twoFlowsAtOnceGetTheirOwnReplies() throws Exception {
        requireTools("python3");
        try (UdpEchoServer server = UdpEchoServer.start("echo:")) {
            String script = "import socket\n"
                    + "dest = ('" + ALIAS + "', " + server.port() + ")\n"
                    + "socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]\n"
                    + "for s in socks: s.settimeout(20); s.bind(('0.0.0.0', 0))\n"
                    + "assert socks[0].getsockname()[1] != socks[1].getsockname()[1]\n"
                    + "for i in range(3):\n"
                    + "    socks[0].sendto(b'one%d' % i, dest)\n"
                    + "    socks[1].sendto(b'two%d' % i, dest)\n"
                    + "    for s in socks:\n"
                    + "        data, peer = s.recvfrom(100)\n"
                    + "        print(data.decode(), peer[0], peer[1] == dest[1])\n";
            Jtap.Result result = jtap(List.of(), "python3", "-c", script);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout().lines().toList()).containsExactly(
                    "echo:one0 " + ALIAS_V4 + " True", "echo:two0 " + ALIAS_V4 + " True",
                    "echo:one1 " + ALIAS_V4 + " True", "echo:two1 " + ALIAS_V4 + " True",
                    "echo:one2 " + ALIAS_V4 + " True", "echo:two2 " + ALIAS_V4 + " True");
            assertThat(server.datagrams()).isEqualTo(6);
        }
    }

    @Test
    void ipv6DatagramReachesHostLoopbackV6() throws Exception {
        requireTools("python3");
        try (UdpEchoServer server = UdpEchoServer.startIpv6("six:")) {
            String script = "import socket\n"
                    + "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"
                    + "s.settimeout(20)\n"
                    + "s.sendto(b'hi', ('fd00:1a7a::77:65', " + server.port() + "))\n"
                    + "print(s.recvfrom(100)[0].decode())\n";
            Jtap.Result result = jtap(List.of(), "python3", "-c", script);
            assertThat(result.stdout()).as(result.toString()).isEqualTo("six:hi\n");
        }
    }

    @Test
    void pingTheHostAlias() throws Exception {
        requireTools("ping");
        Jtap.Result result = jtap(List.of(), "ping", "-c", "1", "-W", "5", ALIAS_V4);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("1 packets transmitted, 1 received");
    }

    /**
     * Where the host allows ping sockets, the child's pings really go out: the reply is the host's
     * own, and a host that ignores echoes leaves the child unanswered. A network namespace of the
     * test's own stands in for the host (this machine's ping_group_range allows no one).
     */
    @Test
    void pingsGoOutThroughTheHostsPingSocketsWhereAllowed() throws Exception {
        requireTools("ping", "unshare", "ip");
        String jtap = quote(Jtap.REPO.resolve("jtap").toString());
        String script = "ip link set lo up && echo '0 2147483647' > /proc/sys/net/ipv4/ping_group_range || exit 99\n"
                + jtap + " -v -- sh -c 'ping -c 2 -W 5 " + ALIAS_V4 + " && ping -6 -c 1 -W 5 " + ALIAS_V6 + "'\n"
                + "echo answered=$?\n"
                + "echo 1 > /proc/sys/net/ipv4/icmp_echo_ignore_all\n"
                + jtap + " -- ping -c 1 -W 2 " + ALIAS_V4 + "\n"
                + "echo ignored=$?\n";
        Command.Result result = host("unshare", "--net", "--", "sh", "-c", script);
        assumeTrue(result.exitCode() != 99, "cannot make a network namespace here: " + result);
        assertThat(result.out()).as(result.toString())
                .contains("ICMP echo goes out through the host's ping sockets")
                .contains("2 packets transmitted, 2 received")
                .contains("1 packets transmitted, 1 received")
                .contains("answered=0")
                .contains("1 packets transmitted, 0 received")
                .contains("ignored=1");
    }

    @Test
    void quicIsRefusedWithPortUnreachable() throws Exception {
        requireTools("python3");
        Jtap.Result result = jtap(List.of(), "python3", "-c", quicProbe(ALIAS_V4));
        assertThat(result.stdout()).as(result.toString()).isEqualTo("refused\n");
    }

    @Test
    void allowQuicRelaysUdp443() throws Exception {
        requireTools("python3");
        try (Udp443Echo echo = Udp443Echo.tryStart()) {
            assumeTrue(echo != null, "UDP 127.0.0.1:443 is not free (or not bindable)");
            Jtap.Result result = jtap(List.of("--allow-quic"), "python3", "-c", quicProbe(ALIAS_V4));
            assertThat(result.stdout()).as(result.toString()).isEqualTo("reply:quic\n");
            // Without the flag the same datagram is refused even though the port is open.
            Jtap.Result refused = jtap(List.of(), "python3", "-c", quicProbe(ALIAS_V4));
            assertThat(refused.stdout()).as(refused.toString()).isEqualTo("refused\n");
        }
    }

    /** A connected UDP socket sends to :443; prints the reply, or "refused" on ICMP port unreachable. */
    private static String quicProbe(String address) {
        return "import socket\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "s.settimeout(20)\n"
                + "s.connect(('" + address + "', 443))\n"
                + "s.send(b'quic')\n"
                + "try:\n"
                + "    print(s.recv(100).decode())\n"
                + "except ConnectionRefusedError:\n"
                + "    print('refused')\n";
    }

    /** Echoes datagrams on 127.0.0.1:443 with a "reply:" prefix. */
    private static final class Udp443Echo implements AutoCloseable {
        private final DatagramSocket socket;

        private Udp443Echo(DatagramSocket socket) {
            this.socket = socket;
            Thread.ofPlatform().daemon(true).name("udp-443-echo").start(this::loop);
        }

        static Udp443Echo tryStart() {
            try {
                return new Udp443Echo(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 443)));
            } catch (SocketException e) {
                return null;
            }
        }

        private void loop() {
            byte[] buffer = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    byte[] reply = ("reply:" + new String(in.getData(), 0, in.getLength())).getBytes();
                    socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
