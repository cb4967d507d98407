package dev.jtap.e2e;

import dev.jtap.e2e.support.Command;
import dev.jtap.e2e.support.TestDnsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.jtap.e2e.PlaneSupport.ALIAS;
import static dev.jtap.e2e.PlaneSupport.ALIAS_V4;
import static dev.jtap.e2e.PlaneSupport.ALIAS_V6;
import static dev.jtap.e2e.PlaneSupport.host;
import static dev.jtap.e2e.PlaneSupport.jtap;
import static dev.jtap.e2e.PlaneSupport.requireTools;
import static dev.jtap.e2e.PlaneSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS through the gateway: answers are what the configured server says (UDP and TCP), unknown
 * names stay NXDOMAIN, and the host alias names are answered by jtap itself.
 */
class PacketPlaneDnsIT {

    @BeforeAll
    static void tools() {
        requireTools("dig");
    }

    private static TestDnsServer zone() {
        return TestDnsServer.start()
                .a("svc.test", "192.0.2.10")
                .a("svc.test", "192.0.2.11")
                .aaaa("svc.test", "2001:db8::10")
                .txt("svc.test", "hello from the test zone")
                .mx("svc.test", 10, "mail.svc.test")
                .srv("_http._tcp.svc.test", 1, 5, 8080, "svc.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"svc.test A", "svc.test AAAA", "svc.test TXT", "svc.test MX", "_http._tcp.svc.test SRV",
            "svc.test A +tcp", "svc.test TXT +tcp", "_http._tcp.svc.test SRV +tcp"})
    void answersEqualTheServersOwn(String question) throws Exception {
        List<String> words = List.of(question.split(" "));
        try (TestDnsServer dns = zone()) {
            List<String> direct = new java.util.ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(dns.port())));
            direct.addAll(words);
            direct.add("+short");
            Command.Result expected = Command.run(PlaneSupport.TIMEOUT, direct);
            assertThat(expected.exitCode()).as(expected.toString()).isZero();
            assertThat(expected.out()).isNotBlank();

            List<String> inside = new java.util.ArrayList<>(List.of("dig", "@10.1.1.1"));
            inside.addAll(words);
            inside.add("+short");
            Jtap.Result result = jtap(List.of("--dns", dns.dnsArg()), inside.toArray(String[]::new));
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(sorted(result.stdout())).isEqualTo(sorted(expected.out()));
            TestDnsServer.Transport transport = question.contains("+tcp")
                    ? TestDnsServer.Transport.TCP : TestDnsServer.Transport.UDP;
            assertThat(dns.queries()).as("queries seen by the test server")
                    .filteredOn(q -> q.transport() == transport).hasSize(2);
        }
    }

    @Test
    void unknownNameIsNxdomain() throws Exception {
        requireTools("curl");
        try (TestDnsServer dns = zone()) {
            Jtap.Result dig = jtap(List.of("--dns", dns.dnsArg()), "dig", "@10.1.1.1", "unknown.test", "A");
            assertThat(dig.stdout()).as(dig.toString()).contains("status: NXDOMAIN");
            Jtap.Result digTcp = jtap(List.of("--dns", dns.dnsArg()), "dig", "+tcp", "@10.1.1.1", "unknown.test", "A");
            assertThat(digTcp.stdout()).as(digTcp.toString()).contains("status: NXDOMAIN");
            Jtap.Result curl = jtap(List.of("--dns", dns.dnsArg()), "curl", "-sS", "http://unknown.test/");
            assertThat(curl.exitCode()).as(curl.toString()).isEqualTo(6);
        }
    }

    @Test
    void systemResolverUsesTheForwardedServer() throws Exception {
        try (TestDnsServer dns = zone()) {
            Jtap.Result result = jtap(List.of("--dns", dns.dnsArg()), "getent", "ahostsv4", "svc.test");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).contains("192.0.2.10").contains("192.0.2.11");
        }
    }

    @Test
    void hostAliasIsAnsweredLocally() throws Exception {
        try (TestDnsServer dns = zone()) {
            Jtap.Result result = sh(List.of("--dns", dns.dnsArg()),
                    "getent ahostsv4 " + ALIAS + " | head -1 | cut -d' ' -f1; echo ==;"
                            + " dig @10.1.1.1 " + ALIAS + " A +short; echo ==;"
                            + " dig @10.1.1.1 HOST.JTAP.LOCAL A +short; echo ==;"
                            + " dig @10.1.1.1 " + ALIAS + " AAAA +short; echo ==;"
                            + " dig @10.1.1.1 host.httptap.local A +short; echo ==;"
                            + " dig @10.1.1.1 " + ALIAS + " TXT | grep -o 'status: [A-Z]*'; echo ==;"
                            + " dig @10.1.1.1 svc.test A +short | sort | head -1");
            String[] parts = result.stdout().split("==\n");
            assertThat(parts).as(result.toString()).hasSize(7);
            assertThat(parts[0].strip()).isEqualTo(ALIAS_V4);
            assertThat(parts[1].strip()).isEqualTo(ALIAS_V4);
            assertThat(parts[2].strip()).isEqualTo(ALIAS_V4);
            assertThat(parts[3].strip()).isEqualTo(ALIAS_V6);
            assertThat(parts[4].strip()).isEqualTo(ALIAS_V4);
            assertThat(parts[5].strip()).isEqualTo("status: NOERROR");
            assertThat(parts[6].strip()).isEqualTo("192.0.2.10");
            // Only the non-alias name reached the configured server.
            assertThat(dns.queries()).as("queries seen by the test server")
                    .allSatisfy(q -> assertThat(q.name()).isEqualTo("svc.test."))
                    .isNotEmpty();
        }
    }

    @Test
    void hostAliasResolvesWithTheHostResolverToo() throws Exception {
        // Without --dns, the alias still never leaves jtap.
        Jtap.Result result = jtap(List.of(), "dig", "@10.1.1.1", ALIAS, "A", "+short");
        assertThat(result.stdout()).as(result.toString()).isEqualTo(ALIAS_V4 + "\n");
    }

    @Test
    void directAnswersMatchDigOnHost() {
        // Sanity check of the comparison itself: the host's dig reaches the test server.
        try (TestDnsServer dns = zone()) {
            Command.Result r = host("dig", "@127.0.0.1", "-p", Integer.toString(dns.port()), "svc.test", "AAAA", "+short");
            assertThat(r.out()).isEqualTo("2001:db8::10\n");
        }
    }

    private static List<String> sorted(String lines) {
        return lines.lines().sorted().toList();
    }
}
