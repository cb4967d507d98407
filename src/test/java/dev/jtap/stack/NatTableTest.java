package dev.jtap.stack;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class NatTableTest {
    private static final long LINGER = 1_000L;
    private static final int RANGE = 65536 - NatTable.FIRST_PORT;

    private long nextId = 1;

    private TcpFlow flow(int version, String remote, int remotePort, int childPort) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(remote), remotePort);
        InetSocketAddress child = new InetSocketAddress(InetAddress.getByName(version == 4 ? "10.1.1.100" : "fd00:1a7a::100"), childPort);
        return new TcpFlow(nextId++, version, child, address, address);
    }

    private static FlowKey key(String remote, int remotePort, int childPort) throws Exception {
        byte[] address = InetAddress.getByName(remote).getAddress();
        ByteBuffer buffer = ByteBuffer.allocate(16).put(0, address);
        return new FlowKey().set(address.length == 4 ? 4 : 6, buffer, 0, remotePort, childPort);
    }

    @Test
    void addFindAndAssignPortsInOrder() throws Exception {
        NatTable table = new NatTable(100, LINGER);
        TcpFlow a = flow(4, "192.0.2.1", 80, 40000);
        TcpFlow b = flow(4, "192.0.2.1", 80, 40001);
        FlowKey probe = key("192.0.2.1", 80, 40000);
        assertThat(table.add(probe, a)).isTrue();
        // The table keeps a copy: reusing the probe must not disturb the stored key.
        assertThat(table.add(key("192.0.2.1", 80, 40001), b)).isTrue();
        probe.set(4, ByteBuffer.allocate(4), 0, 1, 2);
        assertThat(table.find(key("192.0.2.1", 80, 40000))).isSameAs(a);
        assertThat(table.find(key("192.0.2.1", 80, 40001))).isSameAs(b);
        assertThat(table.find(key("192.0.2.1", 81, 40000))).isNull();
        assertThat(table.find(key("192.0.2.2", 80, 40000))).isNull();
        assertThat(table.size()).isEqualTo(2);

        assertThat(table.assignPort(a)).isTrue();
        assertThat(table.assignPort(b)).isTrue();
        assertThat(a.natPort).isEqualTo(NatTable.FIRST_PORT);
        assertThat(b.natPort).isEqualTo(NatTable.FIRST_PORT + 1);
    }

    @Test
    void byNatPortSeparatesFamiliesAndRejectsOutOfRange() throws Exception {
        NatTable table = new NatTable(100, LINGER);
        TcpFlow v4 = flow(4, "192.0.2.1", 443, 50000);
        TcpFlow v6 = flow(6, "2001:db8::1", 443, 50000);
        table.add(key("192.0.2.1", 443, 50000), v4);
        table.add(key("2001:db8::1", 443, 50000), v6);
        assertThat(table.find(key("2001:db8::1", 443, 50000))).isSameAs(v6);
        table.assignPort(v4);
        table.assignPort(v6);
        // Each family rotates independently, so both start at the first port.
        assertThat(v4.natPort).isEqualTo(NatTable.FIRST_PORT);
        assertThat(v6.natPort).isEqualTo(NatTable.FIRST_PORT);
        assertThat(table.byNatPort(4, v4.natPort)).isSameAs(v4);
        assertThat(table.byNatPort(6, v6.natPort)).isSameAs(v6);
        assertThat(table.byNatPort(4, v4.natPort + 1)).isNull();
        assertThat(table.byNatPort(4, -1)).isNull();
        assertThat(table.byNatPort(4, 65536)).isNull();
        assertThat(table.byNatPort(6, Integer.MAX_VALUE)).isNull();
        assertThat(table.byNatPort(4, 0)).isNull();
    }

    @Test
    void closedFlowLingersThenExpires() throws Exception {
        NatTable table = new NatTable(100, LINGER);
        TcpFlow flow = flow(4, "192.0.2.1", 80, 40000);
        TcpFlow open = flow(4, "192.0.2.1", 80, 40001);
        table.add(key("192.0.2.1", 80, 40000), flow);
        table.add(key("192.0.2.1", 80, 40001), open);
        table.assignPort(flow);
        table.assignPort(open);
        int port = flow.natPort;

        table.markClosed(flow, 5_000);
        table.markClosed(flow, 5_500); // a second close does not restart the linger
        assertThat(table.expire(5_000 + LINGER - 1)).isZero();
        assertThat(table.byNatPort(4, port)).isSameAs(flow);
        assertThat(table.find(key("192.0.2.1", 80, 40000))).isSameAs(flow);

        assertThat(table.expire(5_000 + LINGER)).isEqualTo(1);
        assertThat(table.byNatPort(4, port)).isNull();
        assertThat(table.find(key("192.0.2.1", 80, 40000))).isNull();
        assertThat(table.size()).isEqualTo(1);
        // Open flows never expire, however late it is.
        assertThat(table.expire(Long.MAX_VALUE / 2)).isZero();
        assertThat(table.byNatPort(4, open.natPort)).isSameAs(open);
    }

    @Test
    void removeFreesKeyAndPort() throws Exception {
        NatTable table = new NatTable(100, LINGER);
        TcpFlow flow = flow(4, "192.0.2.1", 80, 40000);
        table.add(key("192.0.2.1", 80, 40000), flow);
        table.assignPort(flow);
        table.remove(flow);
        assertThat(table.size()).isZero();
        assertThat(table.find(key("192.0.2.1", 80, 40000))).isNull();
        assertThat(table.byNatPort(4, flow.natPort)).isNull();
        table.remove(flow); // idempotent
        // A flow that never got a port can be removed too.
        TcpFlow dialing = flow(4, "192.0.2.1", 80, 40002);
        table.add(key("192.0.2.1", 80, 40002), dialing);
        table.remove(dialing);
        assertThat(table.size()).isZero();
    }

    @Test
    void aFreedPortIsReusedOnlyAfterTheWholeRangeRotated() throws Exception {
        NatTable table = new NatTable(100, LINGER);
        TcpFlow first = flow(4, "192.0.2.1", 80, 1);
        table.add(key("192.0.2.1", 80, 1), first);
        table.assignPort(first);
        int firstPort = first.natPort;
        table.remove(first);

        // Every later flow lives and dies one at a time: the just-freed ports are skipped
        // until the rotation wraps around.
        for (int i = 1; i < RANGE; i++) {
            TcpFlow next = flow(4, "192.0.2.1", 80, 2);
            assertThat(table.assignPort(next)).isTrue();
            assertThat(next.natPort).as("allocation %d", i).isEqualTo(NatTable.FIRST_PORT + i).isNotEqualTo(firstPort);
            table.remove(next);
        }
        TcpFlow wrapped = flow(4, "192.0.2.1", 80, 3);
        assertThat(table.assignPort(wrapped)).isTrue();
        assertThat(wrapped.natPort).isEqualTo(firstPort);
    }

    @Test
    void rotationSkipsPortsStillInUse() throws Exception {
        NatTable table = new NatTable(100, LINGER);
        TcpFlow longLived = flow(4, "192.0.2.1", 80, 1);
        table.assignPort(longLived);
        for (int i = 1; i < RANGE; i++) {
            TcpFlow shortLived = flow(4, "192.0.2.1", 80, 2);
            table.assignPort(shortLived);
            table.remove(shortLived);
        }
        TcpFlow next = flow(4, "192.0.2.1", 80, 3);
        assertThat(table.assignPort(next)).isTrue();
        assertThat(next.natPort).isEqualTo(longLived.natPort + 1);
        assertThat(table.byNatPort(4, longLived.natPort)).isSameAs(longLived);
    }

    @Test
    void addFailsAtCapacityAndRecoversAfterExpiry() throws Exception {
        NatTable table = new NatTable(3, LINGER);
        TcpFlow[] flows = new TcpFlow[3];
        for (int i = 0; i < 3; i++) {
            flows[i] = flow(4, "192.0.2.1", 80, 100 + i);
            assertThat(table.add(key("192.0.2.1", 80, 100 + i), flows[i])).isTrue();
        }
        assertThat(table.add(key("192.0.2.1", 80, 200), flow(4, "192.0.2.1", 80, 200))).isFalse();
        assertThat(table.find(key("192.0.2.1", 80, 200))).isNull();
        assertThat(table.size()).isEqualTo(3);

        // A closed but lingering flow still counts; once expired its slot is free again.
        table.markClosed(flows[0], 0);
        assertThat(table.add(key("192.0.2.1", 80, 201), flow(4, "192.0.2.1", 80, 201))).isFalse();
        table.expire(LINGER);
        assertThat(table.add(key("192.0.2.1", 80, 202), flow(4, "192.0.2.1", 80, 202))).isTrue();
    }

    @Test
    void assignPortFailsWhenEveryPortIsTaken() throws Exception {
        NatTable table = new NatTable(Integer.MAX_VALUE, LINGER);
        for (int i = 0; i < RANGE; i++) {
            assertThat(table.assignPort(flow(4, "192.0.2.1", 80, 7))).isTrue();
        }
        TcpFlow extra = flow(4, "192.0.2.1", 80, 8);
        assertThat(table.assignPort(extra)).isFalse();
        assertThat(extra.natPort).isEqualTo(-1);
        // The other family is unaffected.
        assertThat(table.assignPort(flow(6, "2001:db8::1", 80, 8))).isTrue();
        // Freeing one port makes exactly that port available.
        TcpFlow holder = table.byNatPort(4, 30000);
        table.remove(holder);
        assertThat(table.assignPort(extra)).isTrue();
        assertThat(extra.natPort).isEqualTo(30000);
    }

    @Test
    void kernelNattedFlowsAreFoundByOriginalDestinationAndChildPort() throws Exception {
        NatTable table = new NatTable(100, LINGER);
        // One child port, two destinations: the kernel keeps them apart, so must the table.
        TcpFlow toA = flow(4, "192.0.2.1", 80, 40000);
        TcpFlow toB = flow(4, "192.0.2.2", 80, 40000);
        TcpFlow v6 = flow(6, "2001:db8::1", 80, 40000);
        for (TcpFlow flow : new TcpFlow[] {toA, toB, v6}) {
            table.add(key(flow.remote().getAddress().getHostAddress(), 80, 40000), flow);
            table.admitThroughKernel(flow);
        }
        assertThat(table.byOriginalDestination(toA.remote(), 40000)).isSameAs(toA);
        assertThat(table.byOriginalDestination(toB.remote(), 40000)).isSameAs(toB);
        assertThat(table.byOriginalDestination(v6.remote(), 40000)).isSameAs(v6);
        assertThat(table.byOriginalDestination(toA.remote(), 40001)).isNull();
        assertThat(toA.natPort).isEqualTo(-1);

        // Gone with the flow, whether removed or expired; a new flow for the same pair replaces an old one.
        table.remove(toA);
        assertThat(table.byOriginalDestination(toA.remote(), 40000)).isNull();
        table.markClosed(toB, 0);
        table.expire(LINGER);
        assertThat(table.byOriginalDestination(toB.remote(), 40000)).isNull();
        TcpFlow again = flow(6, "2001:db8::1", 80, 40000);
        table.admitThroughKernel(again);
        assertThat(table.byOriginalDestination(v6.remote(), 40000)).isSameAs(again);
        assertThat(table.find(key("2001:db8::1", 80, 40000))).isNull();
    }
}
