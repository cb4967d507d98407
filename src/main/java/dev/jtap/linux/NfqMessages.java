package dev.jtap.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The netlink messages of the netfilter queue (nfnetlink_queue): configuration and verdicts built,
 * queued packets and acknowledgements parsed. Netlink headers are in the machine's byte order, the
 * queue's own values in network order. Pure functions over buffers, so they are tested without a kernel.
 */
public final class NfqMessages {
    static final int NLMSG_HEADER = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_ACK = 4;
    private static final int NFGEN_HEADER = 4;
    private static final int SUBSYS_QUEUE = 3;
    static final int MSG_PACKET = SUBSYS_QUEUE << 8;
    static final int MSG_VERDICT = SUBSYS_QUEUE << 8 | 1;
    static final int MSG_CONFIG = SUBSYS_QUEUE << 8 | 2;
    private static final int CFG_CMD = 1;
    private static final int CFG_PARAMS = 2;
    private static final int CFG_QUEUE_MAXLEN = 3;
    private static final int CMD_BIND = 1;
    private static final int COPY_PACKET = 2;
    private static final int ATTR_PACKET_HDR = 1;
    private static final int ATTR_VERDICT_HDR = 2;
    private static final int ATTR_MARK = 3;
    private static final int ATTR_PAYLOAD = 10;
    private static final int ATTR_TYPE_MASK = 0x3fff;

    public static final int NF_DROP = 0;
    public static final int NF_ACCEPT = 1;

    private NfqMessages() {
    }

    /** Binds {@code queue} to this socket, copying the first {@code copyRange} bytes of each packet. */
    static int config(ByteBuffer out, int queue, int copyRange, int maxQueued, int sequence) {
        int start = begin(out, MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, sequence, queue);
        attribute(out, CFG_CMD, 4);
        out.put((byte) CMD_BIND).put((byte) 0).putShort((short) 0);
        attribute(out, CFG_PARAMS, 5);
        out.order(ByteOrder.BIG_ENDIAN).putInt(copyRange).order(ByteOrder.nativeOrder());
        out.put((byte) COPY_PACKET);
        pad(out);
        attribute(out, CFG_QUEUE_MAXLEN, 4);
        out.order(ByteOrder.BIG_ENDIAN).putInt(maxQueued).order(ByteOrder.nativeOrder());
        return end(out, start);
    }

    /** A verdict on packet {@code id}; {@code mark}, when not zero, is set on the packet. */
    static int verdict(ByteBuffer out, int queue, int id, int verdict, int mark) {
        int start = begin(out, MSG_VERDICT, NLM_F_REQUEST, 0, queue);
        attribute(out, ATTR_VERDICT_HDR, 8);
        out.order(ByteOrder.BIG_ENDIAN).putInt(verdict).putInt(id).order(ByteOrder.nativeOrder());
        if (mark != 0) {
            attribute(out, ATTR_MARK, 4);
            out.order(ByteOrder.BIG_ENDIAN).putInt(mark).order(ByteOrder.nativeOrder());
        }
        return end(out, start);
    }

    /**
     * The error code of an acknowledgement at {@code offset} (0 = success, else -errno), or 1 when the
     * message there is not an acknowledgement.
     */
    static int acknowledgement(ByteBuffer in, int offset, int length) {
        in.order(ByteOrder.nativeOrder());
        if (length < NLMSG_HEADER + 4 || (in.getShort(offset + 4) & 0xffff) != NLMSG_ERROR) {
            return 1;
        }
        return in.getInt(offset + NLMSG_HEADER);
    }

    /** A queued packet found in a received datagram: its id and where its IP header lies. */
    public record QueuedPacket(int id, int payloadOffset, int payloadLength) {
    }

    /** Reads the messages in {@code in[0, length)}, handing each queued packet to {@code sink}. */
    public static void packets(ByteBuffer in, int length, java.util.function.Consumer<QueuedPacket> sink) {
        in.order(ByteOrder.nativeOrder());
        int offset = 0;
        while (offset + NLMSG_HEADER <= length) {
            int messageLength = in.getInt(offset);
            if (messageLength < NLMSG_HEADER || offset + messageLength > length) {
                return;
            }
            if ((in.getShort(offset + 4) & 0xffff) == MSG_PACKET) {
                QueuedPacket packet = packet(in, offset + NLMSG_HEADER + NFGEN_HEADER, offset + messageLength);
                if (packet != null) {
                    sink.accept(packet);
                }
            }
            offset += align(messageLength);
        }
    }

    private static QueuedPacket packet(ByteBuffer in, int offset, int end) {
        int id = -1;
        int payloadOffset = -1;
        int payloadLength = 0;
        while (offset + 4 <= end) {
            int attributeLength = in.getShort(offset) & 0xffff;
            int type = in.getShort(offset + 2) & ATTR_TYPE_MASK;
            if (attributeLength < 4 || offset + attributeLength > end) {
                return null;
            }
            if (type == ATTR_PACKET_HDR && attributeLength >= 8) {
                id = in.order(ByteOrder.BIG_ENDIAN).getInt(offset + 4);
                in.order(ByteOrder.nativeOrder());
            } else if (type == ATTR_PAYLOAD) {
                payloadOffset = offset + 4;
                payloadLength = attributeLength - 4;
            }
            offset += align(attributeLength);
        }
        return id == -1 || payloadOffset < 0 ? null : new QueuedPacket(id, payloadOffset, payloadLength);
    }

    private static int begin(ByteBuffer out, int type, int flags, int sequence, int queue) {
        out.order(ByteOrder.nativeOrder());
        int start = out.position();
        out.putInt(0).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(0);
        out.put((byte) 0).put((byte) 0).order(ByteOrder.BIG_ENDIAN).putShort((short) queue)
                .order(ByteOrder.nativeOrder());
        return start;
    }

    private static void attribute(ByteBuffer out, int type, int valueLength) {
        out.putShort((short) (4 + valueLength)).putShort((short) type);
    }

    private static void pad(ByteBuffer out) {
        while ((out.position() & 3) != 0) {
            out.put((byte) 0);
        }
    }

    private static int end(ByteBuffer out, int start) {
        pad(out);
        int length = out.position() - start;
        out.putInt(start, length);
        return length;
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
