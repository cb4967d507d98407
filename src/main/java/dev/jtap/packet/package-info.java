/**
 * Parsing, rewriting and synthesizing raw IPv4/IPv6 packets as they cross the TUN device.
 * The relay reads every packet the sandboxed program sends and must decide what it is, NAT-rewrite
 * its addresses and ports, or answer it directly (TCP resets, ICMP unreachable, echo replies), so
 * this package owns everything that touches packet bytes: header layout, validation of untrusted
 * input, and the Internet checksum arithmetic (full and RFC 1624 incremental, including the
 * non-inverted partial form used with checksum offload). Everything works on {@link
 * java.nio.ByteBuffer}s through absolute indexes, does not allocate per packet and has no
 * dependencies, so the hot relay loop can use it directly and tests can exercise it in isolation.
 */
package dev.jtap.packet;
