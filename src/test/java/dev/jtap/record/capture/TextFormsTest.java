package dev.jtap.record.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small text conversions the writers rely on. */
class TextFormsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            caf%C3%A9        | café
            a+b%20c          | a b c
            100%             | 100%
            %zz%4            | %zz%4
            %E2%82           | \uFFFD
            ✓%41             | ✓A
            """)
    void queryComponentsArePercentDecodedLeniently(String raw, String decoded) {
        assertThat(QueryString.decode(raw)).isEqualTo(decoded);
    }

    @ParameterizedTest
    @CsvSource({
            "2001:db8:0:0:0:0:0:1, 2001:db8::1",
            "0:0:0:0:0:0:0:0, ::",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "fe80:0:0:0:abcd:0:0:1, fe80::abcd:0:0:1",
            "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
            "1:2:3:4:5:6:0:0, 1:2:3:4:5:6::",
    })
    void ipv6AddressesAreWrittenInTheirShortestForm(String address, String expected) throws Exception {
        assertThat(Ipv6Text.compressed(InetAddress.getByName(address).getAddress())).isEqualTo(expected);
    }
}
