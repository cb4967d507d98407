/**
 * Connections: dialling upstream from the host's namespace on the child's SYN, accepting the
 * child's side on the listener inside the namespace, and relaying bytes between the two
 * unchanged, with half-close, reset and backpressure carried across. Observers of the bytes
 * (HTTP, TLS) hang off the relay; they read copies and never hold it up.
 */
package dev.jtap.proxy;
