/**
 * Linux system calls through the Foreign Function and Memory API, with no JNI: namespaces, mounts,
 * the TUN device, file descriptors, poll, signals, socket options and the netfilter queue (over
 * netlink). Every failed call becomes an {@link dev.jtap.linux.ErrnoException} naming the call and
 * its errno, so callers can turn it into one clear line for the user. Nothing here parses packets
 * or knows about HTTP.
 */
package dev.jtap.linux;
