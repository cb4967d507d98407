package dev.jtap.proxy;

import dev.jtap.http.Http1Observer;
import io.netty.buffer.ByteBuf;

/** Feeds a relay's plaintext to the HTTP/1 observer; stops feeding once the observer gives up. */
final class HttpTap implements RelayTap {
    private final Http1Observer observer;

    HttpTap(Http1Observer observer) {
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

    @Override
    public void closed(String reason) {
        observer.closed(reason);
    }
}
