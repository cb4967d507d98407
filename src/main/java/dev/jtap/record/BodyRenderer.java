package dev.jtap.record;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Turns a recorded body into console text: decoded and printed as text when it is text, otherwise a
 * one-line summary. Never throws for bad data.
 */
final class BodyRenderer {

    private BodyRenderer() {
    }

    /** The lines to print for {@code body}, without a trailing newline; empty for an empty body. */
    static String render(Body body, List<Header> headers) {
        if (body.isEmpty()) {
            return "";
        }
        String contentType = mediaType(Header.firstValue(headers, "Content-Type"));
        String encoding = Header.firstValue(headers, "Content-Encoding");
        StringBuilder out = new StringBuilder();
        byte[] decoded;
        try {
            decoded = BodyDecoder.decode(body.prefix(), encoding, BodyDecoder.outputLimit(body.maxBody()),
                    body.truncated());
        } catch (BodyDecodingException e) {
            decoded = null;
            out.append("[undecodable body (Content-Encoding: ").append(encoding.trim()).append("), ")
                    .append(ByteSizes.human(body.size())).append(']');
        }
        if (decoded != null) {
            String text = asText(decoded, contentType, Header.firstValue(headers, "Content-Type"));
            if (text != null) {
                out.append(withoutFinalNewline(text));
            } else {
                out.append("[binary body").append(contentType.isEmpty() ? "" : ": " + contentType).append(", ")
                        .append(ByteSizes.human(body.truncated() ? body.size() : decoded.length)).append(']');
            }
        }
        if (body.truncated()) {
            out.append("\n[… truncated, ").append(ByteSizes.human(body.size())).append(" total]");
        }
        return out.toString();
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The body as a string if it is text, else null. */
    private static String asText(byte[] bytes, String mediaType, String contentTypeHeader) {
        if (isTextualMediaType(mediaType)) {
            return new String(bytes, charsetOf(contentTypeHeader));
        }
        return strictUtf8WithoutControls(bytes);
    }

    private static boolean isTextualMediaType(String mediaType) {
        return mediaType.startsWith("text/") || mediaType.contains("json") || mediaType.contains("xml")
                || mediaType.contains("javascript") || mediaType.contains("x-www-form-urlencoded");
    }

    private static Charset charsetOf(String contentTypeHeader) {
        for (String parameter : contentTypeHeader.split(";")) {
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

    /** Decodes valid UTF-8 without control characters; a sequence cut off at the very end is tolerated. */
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

    private static String withoutFinalNewline(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        if (text.endsWith("\n")) {
            return text.substring(0, text.length() - 1);
        }
        return text;
    }
}
