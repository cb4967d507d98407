package dev.jtap.proxy;

import dev.jtap.http.ConnectionObserver;
import io.netty.buffer.ByteBuf;

/** Feeds a relay's plaintext to an HTTP observer; stops feeding once the observer gives up. */
final class HttpTap implements RelayTap {
    private final ConnectionObserver observer;

    HttpTap(ConnectionObserver observer) {
        this.observer = observer;
    }

    @Override
    public void clientBytes(ByteBuf data) {
        if (observer.active()) {
            observer.clientBytes(data);
        }
    }

    @Override
    public void serverBytes(ByteBuf data) {
        if (observer.active()) {
            observer.serverBytes(data);
        }
    }

    /** No response, nor any more of one, can follow: the observer's account is complete. */
    @Override
    public void serverFinished() {
        observer.closed(null);
    }

    @Override
    public void closed(String reason) {
        observer.closed(reason);
    }
}
