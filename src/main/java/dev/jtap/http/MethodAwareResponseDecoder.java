package dev.jtap.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.util.function.Supplier;

/**
 * A response decoder that knows which request method each response answers, so that responses to HEAD
 * and successful CONNECT are read without a body, like Netty's client codec does.
 */
final class MethodAwareResponseDecoder extends HttpResponseDecoder {

    /** The method of the request the next response answers, or null if none is outstanding. */
    private final Supplier<String> outstandingMethod;

    MethodAwareResponseDecoder(HttpDecoderConfig config, Supplier<String> outstandingMethod) {
        super(config);
        this.outstandingMethod = outstandingMethod;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
        String method = outstandingMethod.get();
        if (method == null || !(message instanceof HttpResponse response)) {
            return super.isContentAlwaysEmpty(message);
        }
        return ResponseFraming.hasNoBody(method, response.status().code());
    }
}
