package dev.jtap.linux;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginalDestinationTest {

    @Test
    void parsesSockaddrIn() throws Exception {
        byte[] sockaddr = {2, 0, 0x1f, (byte) 0x90, (byte) 169, (byte) 254, 77, 65, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(OriginalDestination.parse(sockaddr))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("169.254.77.65"), 8080));
    }

    @Test
    void parsesSockaddrIn6() throws Exception {
        byte[] sockaddr = new byte[28];
        sockaddr[0] = 10;
        sockaddr[2] = 0x01;
        sockaddr[3] = (byte) 0xbb;
        byte[] address = InetAddress.getByName("fd00:1a7a::77:65").getAddress();
        System.arraycopy(address, 0, sockaddr, 8, 16);
        assertThat(OriginalDestination.parse(sockaddr))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("fd00:1a7a::77:65"), 443));
    }

    @Test
    void rejectsShortAndUnknownAddresses() {
        assertThatThrownBy(() -> OriginalDestination.parse(new byte[4])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OriginalDestination.parse(new byte[] {10, 0, 0, 80, 0, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OriginalDestination.parse(new byte[] {1, 0, 0, 80, 0, 0, 0, 0}))
                .hasMessageContaining("family 1");
    }
}
