package dev.jtap.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Sees the bytes a relay carries, before they are written on. Implementations must not change
 * the buffers' indexes or release them, and must never throw.
 */
public interface RelayTap {
    RelayTap NONE = new RelayTap() {
        @Override
        public void clientBytes(ByteBuf data) {
        }

        @Override
        public void serverBytes(ByteBuf data) {
        }

        @Override
        public void serverFinished() {
        }

        @Override
        public void closed(String reason) {
        }
    };

    void clientBytes(ByteBuf data);

    void serverBytes(ByteBuf data);

    /**
     * The server has sent all it will send (its FIN arrived); called before the FIN is passed on, so
     * what this settles is reported before the child can act on the end.
     */
    void serverFinished();

    /** The relay ended: {@code reason} is null for a clean close, else e.g. "connection reset". */
    void closed(String reason);
}
