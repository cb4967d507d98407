/**
 * The packet plane: one loop in the host's network namespace reads every packet the child sends
 * to the TUN and carries it on. TCP is NAT-rewritten so that the namespace's own kernel
 * terminates the child's connections on jtap's listener (no user-space TCP); UDP is relayed per
 * flow from host sockets; DNS to the gateway is forwarded as raw bytes (or answered locally for
 * the host alias); ICMP echo is answered. Only this loop writes to the TUN.
 */
package dev.jtap.stack;
