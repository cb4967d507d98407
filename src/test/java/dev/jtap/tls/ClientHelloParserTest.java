package dev.jtap.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jtap.tls.ClientHelloParser.ClientHello;
import dev.jtap.tls.ClientHelloParser.Malformed;
import dev.jtap.tls.ClientHelloParser.Result;

class ClientHelloParserTest {

    private static byte[] helloWithSniAndAlpn;
    private static byte[] helloWithoutSni;

    @BeforeAll
    static void captureClientHellos() throws Exception {
        helloWithSniAndAlpn = clientHello("example.com", List.of("h2", "http/1.1"));
        helloWithoutSni = clientHello(null, List.of());
    }

    /** The first flight of a JDK client engine: one record holding the ClientHello. */
    private static byte[] clientHello(String sni, List<String> alpn) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("203.0.113.9", 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (!alpn.isEmpty()) {
            params.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static Result parse(byte[] bytes, int length) {
        return ClientHelloParser.parse(ByteBuffer.wrap(bytes, 0, length));
    }

    @Test
    void readsSniAndAlpnFromJdkClientHello() {
        Result result = ClientHelloParser.parse(ByteBuffer.wrap(helloWithSniAndAlpn));
        assertThat(result).isEqualTo(new ClientHello("example.com", List.of("h2", "http/1.1")));
    }

    @Test
    void everyProperPrefixNeedsMore() {
        for (int length = 0; length < helloWithSniAndAlpn.length; length++) {
            assertThat(parse(helloWithSniAndAlpn, length)).as("prefix of %d bytes", length)
                    .isEqualTo(ClientHelloParser.NEED_MORE);
        }
    }

    @Test
    void ignoresBytesAfterTheClientHello() {
        byte[] withTrailer = Arrays.copyOf(helloWithSniAndAlpn, helloWithSniAndAlpn.length + 50);
        assertThat(parse(withTrailer, withTrailer.length)).isInstanceOf(ClientHello.class);
    }

    @Test
    void reassemblesClientHelloSplitAcrossTwoRecords() {
        byte[] twoRecords = fragment(helloWithSniAndAlpn, 37);
        for (int length = 0; length < twoRecords.length; length++) {
            assertThat(parse(twoRecords, length)).as("prefix of %d bytes", length).isEqualTo(ClientHelloParser.NEED_MORE);
        }
        assertThat(parse(twoRecords, twoRecords.length))
                .isEqualTo(new ClientHello("example.com", List.of("h2", "http/1.1")));
    }

    @Test
    void reassemblesOneByteRecords() {
        byte[] tinyRecords = fragment(helloWithSniAndAlpn, 1);
        assertThat(parse(tinyRecords, tinyRecords.length))
                .isEqualTo(new ClientHello("example.com", List.of("h2", "http/1.1")));
    }

    @Test
    void readsFromPositionAndLeavesBufferUntouched() {
        byte[] padded = new byte[helloWithSniAndAlpn.length + 7];
        System.arraycopy(helloWithSniAndAlpn, 0, padded, 7, helloWithSniAndAlpn.length);
        ByteBuffer buffer = ByteBuffer.wrap(padded);
        buffer.position(7);
        assertThat(ClientHelloParser.looksLikeTls(buffer)).isTrue();
        assertThat(ClientHelloParser.parse(buffer)).isInstanceOf(ClientHello.class);
        assertThat(buffer.position()).isEqualTo(7);
        assertThat(buffer.limit()).isEqualTo(padded.length);
    }

    @Test
    void clientHelloWithoutSniOrAlpn() {
        assertThat(parse(helloWithoutSni, helloWithoutSni.length)).isEqualTo(new ClientHello(null, List.of()));
    }

    @Test
    void plainHttpIsNotTls() {
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(parse(http, http.length)).isEqualTo(ClientHelloParser.NOT_TLS);
        assertThat(parse(http, 1)).isEqualTo(ClientHelloParser.NOT_TLS);
        assertThat(ClientHelloParser.looksLikeTls(ByteBuffer.wrap(http))).isFalse();
        assertThat(ClientHelloParser.looksLikeTls(ByteBuffer.wrap(helloWithSniAndAlpn))).isTrue();
        assertThat(ClientHelloParser.looksLikeTls(ByteBuffer.wrap(new byte[] {22, 3}))).isFalse();
        assertThat(parse(new byte[] {22, 2}, 2)).isEqualTo(ClientHelloParser.NOT_TLS);
    }

    @Test
    void otherHandshakeMessageIsMalformed() {
        byte[] serverHello = helloWithSniAndAlpn.clone();
        serverHello[5] = 2;
        assertThat(parse(serverHello, serverHello.length)).isInstanceOf(Malformed.class);
    }

    @Test
    void nonHandshakeRecordInTheMiddleIsMalformed() {
        byte[] twoRecords = fragment(helloWithSniAndAlpn, 20);
        twoRecords[5 + 20] = 23; // second record becomes application data
        assertThat(parse(twoRecords, twoRecords.length)).isInstanceOf(Malformed.class);
    }

    @Test
    void declaredLengthOver64KibIsMalformed() {
        byte[] huge = {22, 3, 1, 0, 4, 1, 0x01, 0x20, 0x00}; // ClientHello claiming 73728 bytes
        assertThat(parse(huge, huge.length)).isInstanceOf(Malformed.class);
    }

    @Test
    void moreThan64KibOfRecordsIsMalformed() {
        // A ClientHello claiming 65531 bytes delivered in 1000-byte records never fits in 64 KiB.
        byte[] body = new byte[65_531 + 4];
        body[0] = 1;
        body[1] = 0x00;
        body[2] = (byte) 0xff;
        body[3] = (byte) 0xfb;
        byte[] records = fragment(records(body), 1000);
        Result result = parse(records, records.length);
        assertThat(result).isInstanceOf(Malformed.class);
    }

    @Test
    void randomMutationsNeverThrow() {
        Random random = new Random(20240611L);
        byte[][] seeds = {helloWithSniAndAlpn, helloWithoutSni, fragment(helloWithSniAndAlpn, 50)};
        int[] counts = new int[4];
        for (int i = 0; i < dev.jtap.Fuzz.iterations(20_000); i++) {
            byte[] input = mutate(seeds[i % seeds.length], random);
            Result result = ClientHelloParser.parse(ByteBuffer.wrap(input));
            assertThat(result).isNotNull();
            switch (result) {
                case ClientHelloParser.NeedMore n -> counts[0]++;
                case ClientHelloParser.NotTls n -> counts[1]++;
                case Malformed m -> counts[2]++;
                case ClientHello h -> counts[3]++;
            }
        }
        for (int i = 0; i < dev.jtap.Fuzz.iterations(20_000) / 10; i++) {
            byte[] garbage = new byte[random.nextInt(600)];
            random.nextBytes(garbage);
            if (garbage.length > 2 && random.nextBoolean()) {
                garbage[0] = 22;
                garbage[1] = 3;
            }
            assertThat(ClientHelloParser.parse(ByteBuffer.wrap(garbage))).isNotNull();
        }
        System.out.printf("mutations: need-more=%d not-tls=%d malformed=%d hello=%d%n",
                counts[0], counts[1], counts[2], counts[3]);
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> {
                // corrupt a length-looking pair of bytes to an extreme value
                int at = random.nextInt(bytes.length - 1);
                bytes[at] = (byte) (random.nextBoolean() ? 0xff : 0);
                bytes[at + 1] = (byte) (random.nextBoolean() ? 0xff : 0);
            }
            default -> {
                int at = random.nextInt(bytes.length);
                int cut = random.nextInt(Math.min(16, bytes.length - at) + 1);
                byte[] shorter = new byte[bytes.length - cut];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, at + cut, shorter, at, bytes.length - at - cut);
                bytes = shorter;
            }
        }
        return bytes;
    }

    /** Re-frames the handshake bytes of a single-record flight into records of at most n bytes. */
    private static byte[] fragment(byte[] singleRecord, int n) {
        byte[] handshake = Arrays.copyOfRange(singleRecord, 5, singleRecord.length);
        ByteBuffer out = ByteBuffer.allocate(handshake.length + (handshake.length / n + 1) * 5);
        for (int at = 0; at < handshake.length; at += n) {
            int length = Math.min(n, handshake.length - at);
            out.put((byte) 22).put((byte) 3).put((byte) 1).putShort((short) length).put(handshake, at, length);
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Wraps handshake bytes in one pseudo-record (its length field is not checked by fragment). */
    private static byte[] records(byte[] handshake) {
        byte[] record = new byte[handshake.length + 5];
        record[0] = 22;
        record[1] = 3;
        record[2] = 1;
        System.arraycopy(handshake, 0, record, 5, handshake.length);
        return record;
    }
}
