package dev.jtap.cli;

import dev.jtap.record.Recorder;
import dev.jtap.record.capture.DnsDisplay;
import dev.jtap.record.capture.Endpoints;
import dev.jtap.record.capture.HarSink;
import dev.jtap.record.capture.JsonlSink;
import dev.jtap.record.capture.PcapWriter;
import dev.jtap.stack.PacketObserver;
import dev.jtap.stack.TcpFlow;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The output files and extra console lines the user asked for: HAR and JSON lines (fed by the
 * recorder), a pcap of the child's packets, and DNS lines (fed by the packet loop).
 */
final class Captures implements PacketObserver, AutoCloseable {
    private final PrintStream dnsOut;
    private final JsonlSink jsonl;
    private final PcapWriter pcap;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<Integer, Long> dnsQueryStarted = new ConcurrentHashMap<>();

    private Captures(PrintStream dnsOut, JsonlSink jsonl, PcapWriter pcap) {
        this.dnsOut = dnsOut;
        this.jsonl = jsonl;
        this.pcap = pcap;
    }

    /** Opens the files named by the flags and adds the exchange sinks to {@code recorder}. */
    static Captures open(Options options, PrintStream out, Recorder recorder) throws IOException {
        JsonlSink jsonl = null;
        if (options.dumpJsonl != null) {
            jsonl = options.dumpJsonl.equals("-") ? new JsonlSink(System.out)
                    : new JsonlSink(new FileOutputStream(options.dumpJsonl));
            recorder.addSink(jsonl);
        }
        PcapWriter pcap = options.dumpPcap != null ? new PcapWriter(options.dumpPcap) : null;
        Captures captures = new Captures(options.printDns ? out : null, jsonl, pcap);
        if (pcap != null) {
            captures.closeables.add(pcap);
        }
        if (options.dumpHar != null) {
            HarSink har = new HarSink(options.dumpHar, Version.current());
            recorder.addSink(har);
        }
        return captures;
    }

    @Override
    public void packet(ByteBuffer buffer, int offset, int length, boolean toChild) {
        if (pcap != null) {
            try {
                pcap.write(buffer, offset, length, System.currentTimeMillis() * 1_000_000L);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void dnsQuery(byte[] message) {
        if (message.length >= 2) {
            dnsQueryStarted.put(messageId(message), System.nanoTime());
        }
        if (dnsOut != null) {
            DnsDisplay.queryLines(message).forEach(dnsOut::println);
        }
    }

    @Override
    public void dnsResponse(byte[] message) {
        if (dnsOut != null) {
            DnsDisplay.responseLines(message).forEach(dnsOut::println);
        }
        if (jsonl != null) {
            Long started = message.length >= 2 ? dnsQueryStarted.remove(messageId(message)) : null;
            long elapsedMicros = started == null ? -1 : (System.nanoTime() - started) / 1000;
            DnsDisplay.Summary summary = DnsDisplay.summarize(message);
            jsonl.dnsQuery(summary.name(), summary.type(), summary.rcode(), summary.answers(), elapsedMicros);
        }
    }

    @Override
    public void tcpFlow(TcpFlow flow, String outcome) {
        if (jsonl != null) {
            jsonl.flow("tcp", Endpoints.of(flow.child()), Endpoints.of(flow.remote()), flow.bytesFromChild(),
                    flow.bytesToChild(), outcome);
        }
    }

    private static int messageId(byte[] message) {
        return (message[0] & 0xff) << 8 | (message[1] & 0xff);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }
}
