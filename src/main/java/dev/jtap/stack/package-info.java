/**
 * The packet plane: one loop in the host's network namespace reads every packet the child sends
 * to the TUN and carries it on. TCP is NAT-rewritten so that the namespace's own kernel
 * terminates the child's connections on jtap's listener (no user-space TCP); where the namespace's
 * netfilter can, only the child's SYNs come to the loop (from a netfilter queue, held while jtap
 * dials) and the kernel's NAT carries the rest of each connection. UDP is relayed per
 * flow from host sockets; DNS to the gateway is forwarded as raw bytes (or answered locally for
 * the host alias); ICMP echo goes out through the host's ping sockets where the host allows them,
 * else the loop answers it. Only this loop writes to the TUN.
 */
package dev.jtap.stack;
