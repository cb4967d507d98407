package dev.jtap.http;

import dev.jtap.record.Exchange;
import dev.jtap.record.Header;

/** Which responses carry no body whatever their headers say (RFC 9112 §6.3). */
final class ResponseFraming {

    private ResponseFraming() {
    }

    static boolean hasNoBody(String requestMethod, int status) {
        return status >= 100 && status < 200
                || status == 204
                || status == 304
                || requestMethod.equals("HEAD")
                || requestMethod.equals("CONNECT") && status >= 200 && status < 300;
    }

    /** Interim responses precede the final one; 101 is final because the protocol changes after it. */
    static boolean isInterim(int status) {
        return status >= 100 && status < 200 && status != 101;
    }

    /** After this response the connection no longer speaks HTTP/1. */
    static boolean leavesHttp(String requestMethod, int status) {
        return status == 101 || requestMethod.equals("CONNECT") && status >= 200 && status < 300;
    }

    /**
     * Why an exchange whose response head already arrived failed when the connection ended: "connection
     * closed mid-response after 16384 of 1048576 body bytes" rather than "... before response".
     */
    static String cutShort(String reasonOrNull, Exchange exchange) {
        long received = exchange.responseBody().size();
        String declared = Header.firstValue(exchange.responseHeaders(), "Content-Length");
        String progress = declared != null && declared.strip().matches("[0-9]{1,18}")
                ? received + " of " + declared.strip() : Long.toString(received);
        return (reasonOrNull != null ? reasonOrNull : "connection closed") + " mid-response after " + progress
                + " body bytes";
    }
}
