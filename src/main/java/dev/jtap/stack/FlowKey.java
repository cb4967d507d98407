package dev.jtap.stack;

import java.nio.ByteBuffer;

/**
 * Identifies a child's flow by (family, remote address, remote port, child port). The packet loop
 * keeps one mutable probe and fills it from each packet, so lookups allocate nothing; stored keys
 * are immutable copies.
 */
final class FlowKey {
    private int ipVersion;
    private long addressHigh;
    private long addressLow;
    private int remotePort;
    private int childPort;

    /** Fills the probe from a packet buffer: the remote address is at {@code addressOffset}. */
    FlowKey set(int version, ByteBuffer buffer, int addressOffset, int remote, int child) {
        ipVersion = version;
        if (version == 4) {
            addressHigh = 0;
            addressLow = buffer.getInt(addressOffset) & 0xffffffffL;
        } else {
            addressHigh = buffer.getLong(addressOffset);
            addressLow = buffer.getLong(addressOffset + 8);
        }
        remotePort = remote;
        childPort = child;
        return this;
    }

    FlowKey copy() {
        FlowKey key = new FlowKey();
        key.ipVersion = ipVersion;
        key.addressHigh = addressHigh;
        key.addressLow = addressLow;
        key.remotePort = remotePort;
        key.childPort = childPort;
        return key;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FlowKey k && k.ipVersion == ipVersion && k.addressHigh == addressHigh
                && k.addressLow == addressLow && k.remotePort == remotePort && k.childPort == childPort;
    }

    @Override
    public int hashCode() {
        long h = addressHigh * 31 + addressLow;
        h = h * 31 + ((long) remotePort << 16 | childPort);
        return (int) (h ^ (h >>> 32)) * 31 + ipVersion;
    }
}
