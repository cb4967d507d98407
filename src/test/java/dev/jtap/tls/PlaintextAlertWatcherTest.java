package dev.jtap.tls;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PlaintextAlertWatcherTest {
    /** A ClientHello-sized handshake record, a change_cipher_spec record, then a fatal unknown_ca alert. */
    private static final byte[] STREAM = concat(
            record(22, new byte[300]),
            record(20, new byte[] {1}),
            record(21, new byte[] {2, 48}));

    @Test
    void findsTheAlertAtEverySplitPoint() {
        for (int split = 0; split <= STREAM.length; split++) {
            PlaintextAlertWatcher watcher = new PlaintextAlertWatcher();
            watcher.observe(Unpooled.wrappedBuffer(Arrays.copyOfRange(STREAM, 0, split)));
            watcher.observe(Unpooled.wrappedBuffer(Arrays.copyOfRange(STREAM, split, STREAM.length)));
            assertThat(watcher.fatalAlert()).as("split at %d", split).isEqualTo("unknown_ca");
        }
    }

    @Test
    void findsTheAlertFedOneByteAtATime() {
        PlaintextAlertWatcher watcher = new PlaintextAlertWatcher();
        for (byte b : STREAM) {
            watcher.observe(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(watcher.fatalAlert()).isEqualTo("unknown_ca");
    }

    @Test
    void warningsAndEncryptedRecordsAreNotFatalAlerts() {
        PlaintextAlertWatcher watcher = new PlaintextAlertWatcher();
        watcher.observe(Unpooled.wrappedBuffer(concat(record(21, new byte[] {1, 0}), record(23, new byte[] {21, 2, 48, 0, 2}),
                record(21, new byte[19]))));
        assertThat(watcher.fatalAlert()).isNull();
    }

    @Test
    void doesNotConsumeWhatItWatches() {
        var bytes = Unpooled.wrappedBuffer(STREAM);
        new PlaintextAlertWatcher().observe(bytes);
        assertThat(bytes.readableBytes()).isEqualTo(STREAM.length);
    }

    @Test
    void namesUnknownDescriptionsByNumber() {
        assertThat(PlaintextAlertWatcher.name(42)).isEqualTo("bad_certificate");
        assertThat(PlaintextAlertWatcher.name(200)).isEqualTo("alert 200");
    }

    private static byte[] record(int type, byte[] body) {
        byte[] r = new byte[5 + body.length];
        r[0] = (byte) type;
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte) (body.length >> 8);
        r[4] = (byte) body.length;
        System.arraycopy(body, 0, r, 5, body.length);
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
