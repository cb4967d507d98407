package dev.jtap.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {

    private static final byte[] TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(50).getBytes(UTF_8);

    @Test
    void noEncodingOrIdentityIsUnchanged() {
        assertThat(BodyDecoder.decode(TEXT, null)).isEqualTo(TEXT);
        assertThat(BodyDecoder.decode(TEXT, " identity ")).isEqualTo(TEXT);
    }

    @Test
    void singleCodings() {
        assertThat(BodyDecoder.decode(Compress.gzip(TEXT), "gzip")).isEqualTo(TEXT);
        assertThat(BodyDecoder.decode(Compress.gzip(TEXT), "X-GZIP")).isEqualTo(TEXT);
        assertThat(BodyDecoder.decode(Compress.zlib(TEXT), "deflate")).isEqualTo(TEXT);
        assertThat(BodyDecoder.decode(Compress.rawDeflate(TEXT), "deflate")).isEqualTo(TEXT);
        assertThat(BodyDecoder.decode(Compress.brotli(TEXT), "br")).isEqualTo(TEXT);
        assertThat(BodyDecoder.decode(Compress.zstd(TEXT), "zstd")).isEqualTo(TEXT);
    }

    @Test
    void brotliTestDataSpansSeveralMetaBlocks() {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'b');
        assertThat(BodyDecoder.decode(Compress.brotli(big), "br")).isEqualTo(big);
    }

    @Test
    void stackedCodingsAreUndoneInReverseOrder() {
        byte[] gzipThenBr = Compress.brotli(Compress.gzip(TEXT));
        assertThat(BodyDecoder.decode(gzipThenBr, "gzip, br")).isEqualTo(TEXT);
        byte[] three = Compress.zstd(Compress.zlib(Compress.gzip(TEXT)));
        assertThat(BodyDecoder.decode(three, "gzip,deflate , zstd")).isEqualTo(TEXT);
    }

    @Test
    void outputIsBounded() {
        byte[] zeros = new byte[1 << 20];
        byte[] bomb = Compress.gzip(zeros);
        assertThat(BodyDecoder.decode(bomb, "gzip", 1000)).hasSize(1000);
        assertThat(BodyDecoder.outputLimit(Body.DEFAULT_MAX_BODY)).isEqualTo(8L << 20);
        assertThat(BodyDecoder.outputLimit(100 << 20)).isEqualTo(BodyDecoder.MAX_OUTPUT);
    }

    @Test
    void truncatedInputYieldsWhatCouldBeDecoded() {
        byte[] gz = Compress.gzip(TEXT);
        byte[] prefix = Arrays.copyOf(gz, gz.length - 20);
        byte[] decoded = BodyDecoder.decode(prefix, "gzip", 1 << 20, true);
        assertThat(decoded).isNotEmpty();
        assertThat(TEXT).startsWith(decoded);
    }

    @Test
    void unknownOrCorruptCodingsThrowDecodingException() {
        assertThatThrownBy(() -> BodyDecoder.decode(TEXT, "compress")).isInstanceOf(BodyDecodingException.class);
        assertThatThrownBy(() -> BodyDecoder.decode(TEXT, "gzip")).isInstanceOf(BodyDecodingException.class);
        assertThatThrownBy(() -> BodyDecoder.decode(TEXT, "br")).isInstanceOf(BodyDecodingException.class);
        assertThatThrownBy(() -> BodyDecoder.decode(TEXT, "zstd")).isInstanceOf(BodyDecodingException.class);
        assertThatThrownBy(() -> BodyDecoder.decode(TEXT, "deflate")).isInstanceOf(BodyDecodingException.class);
    }
}
