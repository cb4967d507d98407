package dev.jtap.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jtap.http.ProtocolSniffer.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtocolSnifferTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n|HTTP2_PREFACE",
        "PRI * HTTP/2.0\\r\\n|NEED_MORE",
        "GET / HTTP/1.1\\r\\n|HTTP1_REQUEST",
        "OPTIONS * HTTP/1.0|HTTP1_REQUEST",
        "GET /a|NEED_MORE",
        "GET /a HTT|NEED_MORE",
        "GET /a HTTP/2.0|OTHER",
        "GET  /a HTTP/1.1|OTHER",
        "SSH-2.0-OpenSSH_9.6\\r\\n|OTHER",
        "SSH-2.0-OpenSSH|NEED_MORE",
        "P|NEED_MORE",
        "\\x16\\x03\\x01|TLS",
        "\\x16|NEED_MORE",
        "\\x00\\x01|OTHER",
    })
    void detects(String text, Kind expected) {
        String unescaped = text.replace("\\r", "\r").replace("\\n", "\n").replace("\\x16", "\u0016")
                .replace("\\x03", "\u0003").replace("\\x01", "\u0001").replace("\\x00", "\u0000");
        ByteBuf buf = Unpooled.buffer();
        buf.writeZero(3).skipBytes(3);
        buf.writeBytes(unescaped.getBytes(ISO_8859_1));
        int reader = buf.readerIndex();
        assertThat(ProtocolSniffer.detect(buf)).isEqualTo(expected);
        assertThat(buf.readerIndex()).isEqualTo(reader);
    }
}
