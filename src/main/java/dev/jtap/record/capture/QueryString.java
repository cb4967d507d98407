package dev.jtap.record.capture;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The query parameters of a URL, percent-decoded leniently: a malformed escape is kept as written. */
final class QueryString {

    record Parameter(String name, String value) {
    }

    private QueryString() {
    }

    static List<Parameter> parse(String url) {
        int question = url.indexOf('?');
        if (question < 0) {
            return List.of();
        }
        int hash = url.indexOf('#', question);
        String query = url.substring(question + 1, hash < 0 ? url.length() : hash);
        List<Parameter> parameters = new ArrayList<>();
        for (String field : query.split("&")) {
            if (field.isEmpty()) {
                continue;
            }
            int equals = field.indexOf('=');
            parameters.add(equals < 0
                    ? new Parameter(decode(field), "")
                    : new Parameter(decode(field.substring(0, equals)), decode(field.substring(equals + 1))));
        }
        return parameters;
    }

    /** Form-style decoding: {@code +} is a space, {@code %XX} a byte, bytes are read as UTF-8. */
    static String decode(String component) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(component.length());
        int i = 0;
        while (i < component.length()) {
            int c = component.codePointAt(i);
            if (c == '%' && i + 2 < component.length() && isHex(component.charAt(i + 1))
                    && isHex(component.charAt(i + 2))) {
                bytes.write(Integer.parseInt(component, i + 1, i + 3, 16));
                i += 3;
            } else {
                bytes.writeBytes(Character.toString(c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }
}
