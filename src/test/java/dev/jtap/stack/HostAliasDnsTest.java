package dev.jtap.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HostAliasDnsTest {
    private static final String V4 = "169.254.77.65";
    private static final String V6 = "fd00:1a7a::77:65";

    private final HostAliasDns dns;

    HostAliasDnsTest() throws Exception {
        dns = new HostAliasDns(InetAddress.getByName(V4), InetAddress.getByName(V6));
    }

    private static byte[] query(String name, int type, int id, boolean recursionDesired) throws Exception {
        Message message = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        message.getHeader().setID(id);
        if (!recursionDesired) {
            message.getHeader().unsetFlag(Flags.RD);
        }
        return message.toWire();
    }

    /** Runs the answerer like the packet loop does: query at a non-zero position, 512-byte output. */
    private Message answer(byte[] wire) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(wire.length + 7);
        in.position(7).mark();
        in.put(wire).reset();
        ByteBuffer out = ByteBuffer.allocate(512);
        if (!dns.answer(in, out)) {
            return null;
        }
        assertThat(in.position()).as("query position untouched").isEqualTo(7);
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return new Message(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"host.jtap.local.", "host.httptap.local.", "HOST.JTAP.LOCAL.", "Host.HttpTap.Local."})
    void aAnswersTheIpv4Alias(String name) throws Exception {
        Message reply = answer(query(name, Type.A, 0x1234, true));
        assertThat(reply).isNotNull();
        assertThat(reply.getHeader().getID()).isEqualTo(0x1234);
        assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getQuestion().getName().toString()).isEqualTo(name);
        assertThat(reply.getQuestion().getType()).isEqualTo(Type.A);
        List<Record> answers = reply.getSection(Section.ANSWER);
        assertThat(answers).hasSize(1);
        assertThat(answers.getFirst()).isInstanceOf(ARecord.class);
        assertThat(((ARecord) answers.getFirst()).getAddress().getHostAddress()).isEqualTo(V4);
        assertThat(answers.getFirst().getName().toString()).isEqualToIgnoringCase(name);
        assertThat(answers.getFirst().getTTL()).isPositive();
        assertThat(reply.getSection(Section.AUTHORITY)).isEmpty();
        assertThat(reply.getSection(Section.ADDITIONAL)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"host.jtap.local.", "host.httptap.local.", "hOsT.jTaP.lOcAl."})
    void aaaaAnswersTheIpv6Alias(String name) throws Exception {
        Message reply = answer(query(name, Type.AAAA, 7, false));
        assertThat(reply).isNotNull();
        assertThat(reply.getHeader().getFlag(Flags.RD)).isFalse();
        List<Record> answers = reply.getSection(Section.ANSWER);
        assertThat(answers).hasSize(1);
        assertThat(((AAAARecord) answers.getFirst()).getAddress()).isEqualTo(InetAddress.getByName(V6));
    }

    @ParameterizedTest
    @ValueSource(ints = {Type.TXT, Type.MX, Type.SRV, Type.HTTPS, Type.CNAME, Type.NS, Type.ANY})
    void otherTypesGetAnEmptyNoErrorAnswer(int type) throws Exception {
        Message reply = answer(query("host.jtap.local.", type, 99, true));
        assertThat(reply).isNotNull();
        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getQuestion().getType()).isEqualTo(type);
        assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void ednsQueriesAreAnsweredWithoutEchoingTheOptRecord() throws Exception {
        Message message = Message.newQuery(Record.newRecord(Name.fromString("host.jtap.local."), Type.A, DClass.IN));
        message.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        Message reply = answer(message.toWire());
        assertThat(reply).isNotNull();
        assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
        assertThat(reply.getSection(Section.ADDITIONAL)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com.", "jtap.local.", "host.jtap.local.example.", "xhost.jtap.local.",
            "host.jtap.locals.", "host-jtap.local.", "sub.host.jtap.local.", "."})
    void otherNamesAreNotAnswered(String name) throws Exception {
        assertThat(answer(query(name, Type.A, 1, true))).isNull();
    }

    @Test
    void responsesAndMultiQuestionMessagesAreNotAnswered() throws Exception {
        byte[] response = query("host.jtap.local.", Type.A, 1, true);
        response[2] |= (byte) 0x80; // QR: this is a response, not a query
        assertThat(answer(response)).isNull();

        byte[] twoQuestions = query("host.jtap.local.", Type.A, 1, true);
        twoQuestions[5] = 2;
        assertThat(answer(twoQuestions)).isNull();

        byte[] noQuestion = query("host.jtap.local.", Type.A, 1, true);
        noQuestion[5] = 0;
        assertThat(answer(noQuestion)).isNull();
    }

    @Test
    void truncatedQueriesAreNotAnswered() throws Exception {
        byte[] full = query("host.jtap.local.", Type.A, 1, true);
        for (int length = 0; length < full.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(full, length);
            assertThat(answer(cut)).as("length %d", length).isNull();
        }
    }

    @Test
    void malformedInputNeverThrows() throws Exception {
        Random random = new Random(20240601L);
        List<byte[]> seeds = List.of(
                query("host.jtap.local.", Type.A, 1, true),
                query("HOST.httptap.local.", Type.AAAA, 2, true),
                query("example.com.", Type.TXT, 3, false));
        int answered = 0;
        for (int round = 0; round < dev.jtap.Fuzz.iterations(20_000); round++) {
            byte[] input;
            switch (round % 4) {
                case 0 -> {
                    input = new byte[random.nextInt(0, 600)];
                    random.nextBytes(input);
                }
                case 1 -> {
                    // Plausible header, random body.
                    input = new byte[random.nextInt(12, 300)];
                    random.nextBytes(input);
                    input[2] &= 0x7f;
                    input[4] = 0;
                    input[5] = 1;
                }
                default -> {
                    // A real query with a few bytes flipped, cut or extended.
                    byte[] seed = seeds.get(random.nextInt(seeds.size()));
                    int length = Math.max(0, seed.length + random.nextInt(-6, 40));
                    input = java.util.Arrays.copyOf(seed, length);
                    for (int flips = random.nextInt(1, 4); flips > 0 && length > 0; flips--) {
                        input[random.nextInt(length)] = (byte) random.nextInt(256);
                    }
                }
            }
            ByteBuffer in = ByteBuffer.wrap(input);
            ByteBuffer out = ByteBuffer.allocate(512);
            boolean result;
            try {
                result = dns.answer(in, out);
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + " threw on " + java.util.HexFormat.of().formatHex(input), e);
            }
            if (result) {
                answered++;
                // Whatever was answered must itself be a well-formed DNS message.
                byte[] bytes = new byte[out.remaining()];
                out.get(bytes);
                Message reply = new Message(bytes);
                assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
            }
        }
        assertThat(answered).as("some mutated alias queries are still answered").isPositive();
    }
}
