package dev.jtap.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class BodyTest {

    @Test
    void countsEverythingKeepsOnlyThePrefix() {
        Body body = new Body(5);
        body.append("abc".getBytes(), 0, 3);
        ByteBuf buf = Unpooled.copiedBuffer("defgh".getBytes());
        buf.readByte();
        body.append(buf);
        assertThat(buf.readerIndex()).isEqualTo(1);
        assertThat(body.size()).isEqualTo(7);
        assertThat(body.prefix()).isEqualTo("abcef".getBytes());
        assertThat(body.truncated()).isTrue();
    }

    @Test
    void emptyAndExactFit() {
        Body body = new Body(3);
        assertThat(body.isEmpty()).isTrue();
        body.append("xyz".getBytes(), 0, 3);
        assertThat(body.truncated()).isFalse();
        assertThat(body.prefix()).isEqualTo("xyz".getBytes());
    }
}
