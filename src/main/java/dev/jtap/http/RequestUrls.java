package dev.jtap.http;

import java.util.Locale;

/** Builds the absolute URL of a request from its target, its Host header and the connection's scheme. */
final class RequestUrls {

    private RequestUrls() {
    }

    static String of(String scheme, String hostHeader, String defaultAuthority, String target) {
        String lowerTarget = target.toLowerCase(Locale.ROOT);
        if (lowerTarget.startsWith("http://") || lowerTarget.startsWith("https://")) {
            return target;
        }
        String authority = hostHeader != null && !hostHeader.isBlank() ? hostHeader.trim() : defaultAuthority;
        if (target.startsWith("/")) {
            return scheme + "://" + withoutDefaultPort(scheme, authority) + target;
        }
        if (target.equals("*")) {
            return scheme + "://" + withoutDefaultPort(scheme, authority);
        }
        // authority-form, as sent with CONNECT
        return scheme + "://" + withoutDefaultPort(scheme, target);
    }

    static String withoutDefaultPort(String scheme, String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.indexOf(']', colon) >= 0) {
            return authority;
        }
        String port = authority.substring(colon + 1);
        boolean isDefault = scheme.equals("http") && port.equals("80") || scheme.equals("https") && port.equals("443");
        return isDefault ? authority.substring(0, colon) : authority;
    }
}
