package dev.jtap.packet;

/** Hand-made packets whose checksums were computed with an independent tool. */
final class KnownPackets {
    private KnownPackets() {}

    /**
     * IPv4 TCP SYN 10.1.1.100:43210 > 93.184.216.34:443, seq 123456789, window 64240, options
     * MSS 1460, SACK permitted, timestamps, NOP, window scale 7. IP checksum 0x3a8d, TCP 0x563a.
     */
    static final String IPV4_TCP_SYN = "4500003cbeef400040063a8d0a0101645db8d822"
            + "a8ca01bb075bcd1500000000a002faf0563a0000"
            + "020405b40402080aa80c8e920000000001030307";

    /**
     * IPv6 TCP [P.] [2001:db8::1]:8080 > [2001:db8:0:1::2]:50000 seq 1000 ack 2000, window 512,
     * payload "hello". TCP checksum 0x1fe7.
     */
    static final String IPV6_TCP_PSH_ACK = "600000000019064020010db8000000000000000000000001"
            + "20010db80000000100000000000000021f90c350000003e8000007d0501802001fe7000068656c6c6f";
}
