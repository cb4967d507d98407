/**
 * Machine-readable captures of a traced run, written alongside the console output: a HAR 1.2 file
 * that stays valid after every finished exchange ({@link dev.jtap.record.capture.HarSink}), a JSON
 * Lines stream of exchanges, DNS lookups and flows ({@link dev.jtap.record.capture.JsonlSink}), a
 * pcap file of the raw IP packets ({@link dev.jtap.record.capture.PcapWriter}), and the httptap-style
 * rendering of DNS messages ({@link dev.jtap.record.capture.DnsDisplay}). Each writer is safe to call
 * from any thread and never leaves a half-written record behind when the call returns.
 */
package dev.jtap.record.capture;
