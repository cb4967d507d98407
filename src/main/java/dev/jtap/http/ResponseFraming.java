package dev.jtap.http;

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
}
