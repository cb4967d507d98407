package dev.jtap.http;

import io.netty.buffer.ByteBuf;

/**
 * Watches one connection's plaintext in both directions. The caller keeps ownership of every
 * buffer; implementations never change its indexes, never release it and never throw. Once
 * {@link #active()} turns false the observer has given up on the connection (the relay goes on).
 */
public interface ConnectionObserver {
    void clientBytes(ByteBuf data);

    void serverBytes(ByteBuf data);

    /** The connection ended: {@code reasonOrNull} is null for a clean close. */
    void closed(String reasonOrNull);

    boolean active();
}
