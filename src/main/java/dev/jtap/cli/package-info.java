/**
 * The {@code jtap} command: flags (each also read from a {@code JTAP_<FLAG>} environment
 * variable), the order in which the sandbox, the packet plane and the recorders are started and
 * stopped, signal forwarding to the child, and the exit code. User-facing errors are turned into
 * one line here.
 */
package dev.jtap.cli;
