package dev.jtap.packet;

/** Why {@link PacketView#parse} refused a packet. */
public enum DropReason {
    /** The packet parsed; nothing was dropped. */
    NONE,
    /** offset/length do not describe a region inside the buffer's limit. */
    INVALID_BOUNDS,
    /** The data ends before a header it announces. */
    TRUNCATED,
    /** The IP version nibble is neither 4 nor 6. */
    BAD_VERSION,
    /** IPv4 IHL below 5 or TCP data offset below 5 words. */
    BAD_HEADER_LENGTH,
    /** IP total/payload length larger than the data, or smaller than the IP header. */
    BAD_TOTAL_LENGTH,
    /** An IPv4 fragment or an IPv6 packet with a fragment header. */
    FRAGMENT,
    /** An IPv6 extension header this package does not walk (AH, mobility, HIP, shim6). */
    UNSUPPORTED_EXTENSION,
    /** The UDP length field is below 8 or beyond the IP payload. */
    BAD_UDP_LENGTH
}
