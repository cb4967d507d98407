package dev.jtap.record;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells text bodies from binary ones: a textual media type is decoded in its charset (UTF-8 when none
 * or an unknown one is named); any other body is text only when it is valid UTF-8 without control
 * characters.
 */
public final class BodyText {

    private BodyText() {
    }

    /** The body as a string if it is text, else null; {@code contentType} is the header's value or null. */
    public static String asText(byte[] bytes, String contentType) {
        if (bytes.length == 0) {
            return "";
        }
        if (isTextual(mediaType(contentType))) {
            return new String(bytes, charsetOf(contentType));
        }
        return strictUtf8WithoutControls(bytes);
    }

    /** The media type of a Content-Type value, lower case and without parameters; "" for null. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isTextual(String mediaType) {
        return mediaType.startsWith("text/") || mediaType.contains("json") || mediaType.contains("xml")
                || mediaType.contains("javascript") || mediaType.contains("x-www-form-urlencoded");
    }

    private static Charset charsetOf(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] nameValue = parameter.trim().split("=", 2);
            if (nameValue.length == 2 && nameValue[0].trim().equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(nameValue[1].trim().replace("\"", ""));
                } catch (IllegalArgumentException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** Valid UTF-8 without control characters, tolerating a sequence cut off at the very end; else null. */
    private static String strictUtf8WithoutControls(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (decoder.decode(in, chars, false).isError() || in.remaining() > 3) {
            return null;
        }
        chars.flip();
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return null;
            }
        }
        return chars.toString();
    }
}
