package dev.jtap.record.capture;

import dev.jtap.record.Header;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cookie as HAR lists it, read from request {@code Cookie} or response {@code Set-Cookie} headers.
 * Attributes HAR has no field for (Max-Age, SameSite) are ignored; an Expires date that cannot be
 * parsed is left out.
 *
 * @param expires ISO-8601 instant, or null
 */
record HarCookie(String name, String value, String path, String domain, String expires, boolean httpOnly,
        boolean secure) {

    /** Every {@code name=value} pair of every Cookie header. */
    static List<HarCookie> fromRequest(List<Header> headers) {
        List<HarCookie> cookies = new ArrayList<>();
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase("Cookie")) {
                for (String pair : header.value().split(";")) {
                    if (!pair.isBlank()) {
                        cookies.add(pair(pair));
                    }
                }
            }
        }
        return cookies;
    }

    /** One cookie per Set-Cookie header. */
    static List<HarCookie> fromResponse(List<Header> headers) {
        List<HarCookie> cookies = new ArrayList<>();
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase("Set-Cookie") && !header.value().isBlank()) {
                cookies.add(setCookie(header.value()));
            }
        }
        return cookies;
    }

    private static HarCookie pair(String pair) {
        int equals = pair.indexOf('=');
        return equals < 0
                ? new HarCookie("", pair.trim(), null, null, null, false, false)
                : new HarCookie(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim(),
                        null, null, null, false, false);
    }

    private static HarCookie setCookie(String value) {
        String[] parts = value.split(";");
        HarCookie cookie = pair(parts[0]);
        String path = null;
        String domain = null;
        String expires = null;
        boolean httpOnly = false;
        boolean secure = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].trim();
            int equals = attribute.indexOf('=');
            String name = (equals < 0 ? attribute : attribute.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            String argument = equals < 0 ? "" : attribute.substring(equals + 1).trim();
            switch (name) {
                case "path" -> path = argument;
                case "domain" -> domain = argument;
                case "expires" -> expires = isoInstant(argument);
                case "httponly" -> httpOnly = true;
                case "secure" -> secure = true;
                default -> { }
            }
        }
        return new HarCookie(cookie.name, cookie.value, path, domain, expires, httpOnly, secure);
    }

    private static String isoInstant(String httpDate) {
        try {
            ZonedDateTime date = ZonedDateTime.parse(httpDate.replace('-', ' '), DateTimeFormatter.RFC_1123_DATE_TIME);
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(date.withZoneSameInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
