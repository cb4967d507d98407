package dev.jtap.record;

import java.util.List;

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
        String contentTypeHeader = Header.firstValue(headers, "Content-Type");
        String contentType = BodyText.mediaType(contentTypeHeader);
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
            String text = BodyText.asText(decoded, contentTypeHeader);
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
