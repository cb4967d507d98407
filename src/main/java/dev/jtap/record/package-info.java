/**
 * The record of what a traced program said over HTTP: one {@link dev.jtap.record.Exchange} per
 * request/response pair, the {@link dev.jtap.record.ExchangeSink}s that consume them and the
 * {@link dev.jtap.record.Recorder} that fans each event out to every sink. Protocol observers (HTTP/1,
 * HTTP/2) only fill in exchanges and announce them; everything a user sees or saves — console lines,
 * decoded bodies — lives here, so that every protocol is presented the same way and a misbehaving sink
 * can never disturb the traffic being relayed.
 */
package dev.jtap.record;
