package dev.jtap.linux;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NfqMessagesTest {
    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    @Test
    void verdictCarriesIdVerdictAndMarkInNetworkOrder() {
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = NfqMessages.verdict(out, 7, 0x01020304, NfqMessages.NF_ACCEPT, 2);
        out.order(HOST);
        assertThat(length).isEqualTo(16 + 4 + 12 + 8).isEqualTo(out.getInt(0));
        assertThat(out.getShort(4)).isEqualTo((short) NfqMessages.MSG_VERDICT);
        assertThat(out.getShort(6)).isEqualTo((short) NfqMessages.NLM_F_REQUEST);
        assertThat(out.order(ByteOrder.BIG_ENDIAN).getShort(18)).isEqualTo((short) 7); // res_id = queue
        assertThat(out.order(HOST).getShort(20)).isEqualTo((short) 12);                // attribute length
        assertThat(out.order(ByteOrder.BIG_ENDIAN).getInt(24)).isEqualTo(NfqMessages.NF_ACCEPT);
        assertThat(out.getInt(28)).isEqualTo(0x01020304);
        assertThat(out.getInt(36)).isEqualTo(2);
    }

    @Test
    void verdictWithoutMarkHasNoMarkAttribute() {
        ByteBuffer out = ByteBuffer.allocate(64);
        assertThat(NfqMessages.verdict(out, 0, 9, NfqMessages.NF_DROP, 0)).isEqualTo(32);
    }

    @Test
    void configAsksForAnAcknowledgementAndKeepsAttributesAligned() {
        ByteBuffer out = ByteBuffer.allocate(128);
        int length = NfqMessages.config(out, 0, 65535, 65536, 1);
        out.order(HOST);
        assertThat(length % 4).isZero();
        assertThat(out.getShort(6) & NfqMessages.NLM_F_ACK).isNotZero();
        List<Integer> types = new ArrayList<>();
        for (int offset = 20; offset < length; ) {
            int attributeLength = out.getShort(offset) & 0xffff;
            types.add((int) out.getShort(offset + 2));
            offset += (attributeLength + 3) & ~3;
        }
        assertThat(types).containsExactly(1, 2, 3); // command, params, queue length
    }

    @Test
    void acknowledgementGivesTheErrorCode() {
        ByteBuffer in = ByteBuffer.allocate(36).order(HOST);
        in.putInt(0, 36).putShort(4, (short) NfqMessages.NLMSG_ERROR).putInt(16, -1);
        assertThat(NfqMessages.acknowledgement(in, 0, 36)).isEqualTo(-1);
        in.putInt(16, 0);
        assertThat(NfqMessages.acknowledgement(in, 0, 36)).isZero();
        in.putShort(4, (short) NfqMessages.MSG_PACKET);
        assertThat(NfqMessages.acknowledgement(in, 0, 36)).isEqualTo(1);
    }

    @Test
    void packetsAreFoundInABatchOfMessages() {
        ByteBuffer in = ByteBuffer.allocate(512).order(HOST);
        int offset = putPacket(in, 0, 41, new byte[] {0x45, 1, 2});
        offset = putPacket(in, offset, 42, new byte[60]);
        List<NfqMessages.QueuedPacket> found = new ArrayList<>();
        NfqMessages.packets(in, offset, found::add);
        assertThat(found).extracting(NfqMessages.QueuedPacket::id).containsExactly(41, 42);
        assertThat(found.get(0).payloadLength()).isEqualTo(3);
        assertThat(in.get(found.get(0).payloadOffset())).isEqualTo((byte) 0x45);
        assertThat(found.get(1).payloadLength()).isEqualTo(60);
    }

    @Test
    void truncatedOrCorruptMessagesYieldNothingAndNeverThrow() {
        ByteBuffer in = ByteBuffer.allocate(512).order(HOST);
        int length = putPacket(in, 0, 5, new byte[40]);
        Random random = new Random(20261204);
        byte[] original = new byte[length];
        in.get(0, original);
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer mutated = ByteBuffer.allocate(512).order(HOST);
            mutated.put(0, original);
            for (int flips = random.nextInt(4); flips >= 0; flips--) {
                mutated.put(random.nextInt(length), (byte) random.nextInt(256));
            }
            int cut = random.nextInt(length + 1);
            List<NfqMessages.QueuedPacket> found = new ArrayList<>();
            NfqMessages.packets(mutated, cut, found::add);
            for (NfqMessages.QueuedPacket packet : found) {
                assertThat(packet.payloadOffset() + packet.payloadLength()).isLessThanOrEqualTo(cut);
            }
        }
    }

    /** A queued-packet message as the kernel sends it: header, packet header attribute, payload. */
    private static int putPacket(ByteBuffer in, int offset, int id, byte[] payload) {
        int start = offset;
        in.order(HOST).putShort(offset + 4, (short) NfqMessages.MSG_PACKET);
        offset += 16 + 4;
        in.putShort(offset, (short) 11).putShort(offset + 2, (short) 1);
        in.order(ByteOrder.BIG_ENDIAN).putInt(offset + 4, id).putShort(offset + 8, (short) 0x0800);
        in.put(offset + 10, (byte) 3).order(HOST);
        offset += 12;
        in.putShort(offset, (short) (4 + payload.length)).putShort(offset + 2, (short) 10);
        in.put(offset + 4, payload);
        offset += (4 + payload.length + 3) & ~3;
        in.putInt(start, offset - start);
        return offset;
    }
}
