package dev.jtap.record.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class DnsDisplayTest {

    @Test
    void queryLine() throws Exception {
        assertThat(DnsDisplay.queryLines(query("example.com.", Type.A))).containsExactly("---> DNS example.com. (A)");
        assertThat(DnsDisplay.queryLines(query("example.com.", Type.HTTPS))).containsExactly("---> DNS example.com. (HTTPS)");
    }

    @Test
    void aAnswer() throws Exception {
        byte[] response = response("example.com.", Type.A, Rcode.NOERROR,
                new ARecord(name("example.com."), DClass.IN, 300, InetAddress.getByName("93.184.216.34")));
        assertThat(DnsDisplay.responseLines(response)).containsExactly("<--- DNS example.com. (A) 93.184.216.34");
        assertThat(DnsDisplay.summarize(response))
                .isEqualTo(new DnsDisplay.Summary("example.com.", "A", "NOERROR", List.of("93.184.216.34")));
    }

    @Test
    void aaaaAnswersAreCompressed() throws Exception {
        byte[] response = response("example.com.", Type.AAAA, Rcode.NOERROR,
                new AAAARecord(name("example.com."), DClass.IN, 300, InetAddress.getByName("2606:2800:220:1:0:0:0:1946")),
                new AAAARecord(name("example.com."), DClass.IN, 300, InetAddress.getByName("::1")));
        assertThat(DnsDisplay.responseLines(response)).containsExactly(
                "<--- DNS example.com. (AAAA) 2606:2800:220:1::1946",
                "<--- DNS example.com. (AAAA) ::1");
    }

    @Test
    void txtMxSrvNs() throws Exception {
        assertThat(DnsDisplay.responseLines(response("example.com.", Type.TXT, Rcode.NOERROR,
                new TXTRecord(name("example.com."), DClass.IN, 60, "v=spf1 -all"),
                new TXTRecord(name("example.com."), DClass.IN, 60, List.of("part one", "part two")))))
                .containsExactly("<--- DNS example.com. (TXT) v=spf1 -all",
                        "<--- DNS example.com. (TXT) \"part one\" \"part two\"");
        assertThat(DnsDisplay.responseLines(response("example.com.", Type.MX, Rcode.NOERROR,
                new MXRecord(name("example.com."), DClass.IN, 60, 10, name("mail.example.com.")))))
                .containsExactly("<--- DNS example.com. (MX) 10 mail.example.com.");
        assertThat(DnsDisplay.responseLines(response("_sip._tcp.example.com.", Type.SRV, Rcode.NOERROR,
                new SRVRecord(name("_sip._tcp.example.com."), DClass.IN, 60, 10, 60, 5060, name("sip.example.com.")))))
                .containsExactly("<--- DNS _sip._tcp.example.com. (SRV) 10 60 5060 sip.example.com.");
        assertThat(DnsDisplay.responseLines(response("example.com.", Type.NS, Rcode.NOERROR,
                new NSRecord(name("example.com."), DClass.IN, 60, name("a.iana-servers.net.")))))
                .containsExactly("<--- DNS example.com. (NS) a.iana-servers.net.");
    }

    @Test
    void cnameChainShowsEveryRecordUnderItsOwnName() throws Exception {
        byte[] response = response("www.example.com.", Type.A, Rcode.NOERROR,
                new CNAMERecord(name("www.example.com."), DClass.IN, 60, name("edge.cdn.test.")),
                new CNAMERecord(name("edge.cdn.test."), DClass.IN, 60, name("pop1.cdn.test.")),
                new ARecord(name("pop1.cdn.test."), DClass.IN, 60, InetAddress.getByName("192.0.2.7")));
        assertThat(DnsDisplay.responseLines(response)).containsExactly(
                "<--- DNS www.example.com. (CNAME) edge.cdn.test.",
                "<--- DNS edge.cdn.test. (CNAME) pop1.cdn.test.",
                "<--- DNS pop1.cdn.test. (A) 192.0.2.7");
        assertThat(DnsDisplay.summarize(response).answers()).containsExactly("edge.cdn.test.", "pop1.cdn.test.", "192.0.2.7");
    }

    @Test
    void failuresAndEmptyAnswers() throws Exception {
        assertThat(DnsDisplay.responseLines(response("nope.test.", Type.A, Rcode.NXDOMAIN)))
                .containsExactly("<--- DNS nope.test. (A) NXDOMAIN");
        assertThat(DnsDisplay.responseLines(response("broken.test.", Type.AAAA, Rcode.SERVFAIL)))
                .containsExactly("<--- DNS broken.test. (AAAA) SERVFAIL");
        assertThat(DnsDisplay.responseLines(response("private.test.", Type.A, Rcode.REFUSED)))
                .containsExactly("<--- DNS private.test. (A) REFUSED");
        assertThat(DnsDisplay.responseLines(response("v4only.test.", Type.AAAA, Rcode.NOERROR)))
                .containsExactly("<--- DNS v4only.test. (AAAA) (no answers)");
        assertThat(DnsDisplay.summarize(response("nope.test.", Type.A, Rcode.NXDOMAIN)))
                .isEqualTo(new DnsDisplay.Summary("nope.test.", "A", "NXDOMAIN", List.of()));
    }

    @Test
    void malformedMessagesBecomeOneLine() {
        assertThat(DnsDisplay.responseLines(new byte[] {1, 2, 3})).singleElement().asString()
                .startsWith("<--- DNS (malformed message: ");
        assertThat(DnsDisplay.queryLines(new byte[0])).singleElement().asString()
                .startsWith("---> DNS (malformed message: ");
        assertThat(DnsDisplay.summarize(new byte[] {1})).isEqualTo(new DnsDisplay.Summary("", "", "MALFORMED", List.of()));
    }

    @Test
    void fuzzedMessagesNeverThrow() throws Exception {
        Random random = new Random(20250301);
        List<byte[]> seeds = List.of(
                query("example.com.", Type.A),
                response("www.example.com.", Type.A, Rcode.NOERROR,
                        new CNAMERecord(name("www.example.com."), DClass.IN, 60, name("edge.cdn.test.")),
                        new ARecord(name("edge.cdn.test."), DClass.IN, 60, InetAddress.getByName("192.0.2.7"))),
                response("example.com.", Type.MX, Rcode.NOERROR,
                        new MXRecord(name("example.com."), DClass.IN, 60, 10, name("mail.example.com."))),
                response("example.com.", Type.TXT, Rcode.NOERROR,
                        new TXTRecord(name("example.com."), DClass.IN, 60, List.of("a", "b"))),
                response("nope.test.", Type.A, Rcode.NXDOMAIN));
        for (int i = 0; i < dev.jtap.Fuzz.iterations(12_000); i++) {
            byte[] message = i % 4 == 0 ? randomBytes(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            assertThat(DnsDisplay.queryLines(message)).isNotEmpty();
            assertThat(DnsDisplay.responseLines(message)).isNotEmpty();
            assertThat(DnsDisplay.summarize(message)).isNotNull();
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(80)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = Arrays.copyOf(seed, seed.length);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(4)) {
                case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                case 1 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                case 2 -> bytes = Arrays.copyOf(bytes, Math.max(1, random.nextInt(bytes.length + 1)));
                default -> bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
            }
        }
        return bytes;
    }

    private static Name name(String text) throws Exception {
        return Name.fromString(text);
    }

    private static byte[] query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(name(name), type, DClass.IN)).toWire();
    }

    private static byte[] response(String name, int type, int rcode, Record... answers) throws Exception {
        Message message = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
        message.getHeader().setFlag(Flags.QR);
        message.getHeader().setRcode(rcode);
        for (Record answer : answers) {
            message.addRecord(answer, Section.ANSWER);
        }
        return message.toWire();
    }
}
