/**
 * Passive HTTP/1.x observation: {@link dev.jtap.http.Http1Observer} watches a copy of the bytes a relay
 * forwards between a client and a server, splits them into requests and responses and records each
 * pair as an {@link dev.jtap.record.Exchange}. It never alters, delays or buffers the relayed traffic,
 * keeps only a bounded prefix of each body, and on anything it cannot follow — malformed framing,
 * oversized headers, a protocol upgrade — it quietly stops watching while the relay carries on.
 */
package dev.jtap.http;
