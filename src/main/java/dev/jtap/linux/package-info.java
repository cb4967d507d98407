/**
 * Linux system calls through the Foreign Function and Memory API, with no JNI: namespaces, mounts,
 * the TUN device, file descriptors, poll and signals. Every failed call becomes an
 * {@link dev.jtap.linux.ErrnoException} naming the call and its errno, so callers can turn it into
 * one clear line for the user. Nothing here knows about packets or HTTP.
 */
package dev.jtap.linux;
