package dev.jtap.record.capture;

import dev.jtap.record.Body;
import dev.jtap.record.BodyDecoder;
import dev.jtap.record.BodyDecodingException;
import dev.jtap.record.BodyText;
import dev.jtap.record.Header;
import java.util.Base64;
import java.util.List;

/**
 * The kept prefix of a body with its Content-Encoding undone and classified as text or binary, with
 * the sizes HAR wants. When the coding cannot be undone the wire bytes stand in, marked with the reason.
 *
 * @param bytes          decoded bytes, or the wire prefix when nothing was (or could be) decoded
 * @param text           the bytes as a string when they are text, else null
 * @param decoded        true when a Content-Encoding was undone
 * @param decodingError  why the Content-Encoding could not be undone, or null
 * @param wireSize       every byte counted on the wire, kept or not
 * @param truncated      true when only a prefix of the wire bytes was kept
 */
record DecodedBody(byte[] bytes, String text, boolean decoded, String decodingError, long wireSize,
        boolean truncated) {

    static DecodedBody of(Body body, List<Header> headers) {
        byte[] wire = body.prefix();
        String contentEncoding = Header.firstValue(headers, "Content-Encoding");
        byte[] bytes = wire;
        boolean decoded = false;
        String decodingError = null;
        if (!BodyDecoder.codings(contentEncoding).isEmpty()) {
            try {
                bytes = BodyDecoder.decode(wire, contentEncoding, BodyDecoder.outputLimit(body.maxBody()),
                        body.truncated());
                decoded = true;
            } catch (BodyDecodingException e) {
                decodingError = e.getMessage();
            }
        }
        String text = decodingError == null ? BodyText.asText(bytes, Header.firstValue(headers, "Content-Type")) : null;
        return new DecodedBody(bytes, text, decoded, decodingError, body.size(), body.truncated());
    }

    boolean isText() {
        return text != null;
    }

    /** The content itself: the text, or base64 of the bytes. */
    String textOrBase64() {
        return isText() ? text : Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * HAR's content size: the decoded length, or the true wire size when the bytes are the (identity)
     * wire bytes themselves. A truncated compressed body only reveals the length of its decoded prefix.
     */
    long size() {
        return truncated && !decoded ? wireSize : bytes.length;
    }

    /** The media type without parameters, or "x-unknown" as browsers write it when there is none. */
    static String mimeType(List<Header> headers) {
        String contentType = Header.firstValue(headers, "Content-Type");
        return contentType == null || contentType.isBlank() ? "x-unknown" : contentType.trim();
    }
}
