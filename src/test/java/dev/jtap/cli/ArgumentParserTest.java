package dev.jtap.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgumentParserTest {
    private static Options parse(Map<String, String> environment, String... args) throws UserError {
        return ArgumentParser.parse(args, environment);
    }

    private static Options parse(String... args) throws UserError {
        return parse(Map.of(), args);
    }

    @Test
    void defaultsWithNoFlags() throws Exception {
        Options options = parse();
        assertThat(options.tun).isEqualTo("jtap0");
        assertThat(options.subnet).isEqualTo("10.1.1.100/24");
        assertThat(options.gateway).isEqualTo("10.1.1.1");
        assertThat(options.maxBody).isEqualTo(1024 * 1024);
        assertThat(options.verbose).isFalse();
        assertThat(options.command).isEmpty();
    }

    @Test
    void valuesBySpaceOrEqualsAndSwitchesByName() throws Exception {
        Options options = parse("-v", "--tun", "tap1", "--subnet=10.9.0.2/16", "--no-exit", "--dump-jsonl", "-",
                "--max-body=0", "--ca-dir", "/tmp/ca", "--stderr=false", "--", "true");
        assertThat(options.verbose).isTrue();
        assertThat(options.tun).isEqualTo("tap1");
        assertThat(options.subnet).isEqualTo("10.9.0.2/16");
        assertThat(options.noExit).isTrue();
        assertThat(options.dumpJsonl).isEqualTo("-");
        assertThat(options.maxBody).isZero();
        assertThat(options.caDir).isEqualTo(Path.of("/tmp/ca"));
        assertThat(options.stderr).isFalse();
        assertThat(options.command).containsExactly("true");
    }

    @Test
    void repeatableFlagsAddUpAndPortListsSplitOnCommas() throws Exception {
        Options options = parse("--http", "8080,8081", "--http", "81", "--https=8443", "--upstream-ca", "a.pem",
                "--upstream-ca", "b.pem");
        assertThat(options.httpPorts).containsExactly(8080, 8081, 81);
        assertThat(options.httpsPorts).containsExactly(8443);
        assertThat(options.upstreamCa).containsExactly(Path.of("a.pem"), Path.of("b.pem"));
    }

    @Test
    void badFlagsAreNamedInTheMessage() {
        assertThatThrownBy(() -> parse("--bogus")).hasMessage("unknown option '--bogus'");
        assertThatThrownBy(() -> parse("--stderr", "--stderr"))
                .hasMessage("option '--stderr' should be specified only once");
        assertThatThrownBy(() -> parse("--tun")).hasMessage("option '--tun' needs a value (NAME)");
        assertThatThrownBy(() -> parse("--tun", "-v")).hasMessage("option '--tun' needs a value (NAME)");
        assertThatThrownBy(() -> parse("--max-body", "lots")).hasMessage("--max-body: 'lots' is not a number");
        assertThatThrownBy(() -> parse("--max-body=-5")).hasMessage("--max-body: '-5' is negative");
        assertThatThrownBy(() -> parse("--http", "80,99999")).hasMessage("--http: '99999' is not a TCP port");
        assertThatThrownBy(() -> parse("--verbose=perhaps")).hasMessage("--verbose must be 1 or 0, not 'perhaps'");
    }

    @Test
    void variableNameIsPrefixedUpperSnakeCase() {
        Flag flag = Options.FLAGS.stream().filter(f -> f.longName().equals("--no-new-user-namespace"))
                .findFirst().orElseThrow();
        assertThat(flag.variable()).isEqualTo("JTAP_NO_NEW_USER_NAMESPACE");
    }

    @Test
    void booleanFlagsAcceptOneAndZeroFromTheEnvironment() throws Exception {
        assertThat(parse(Map.of("JTAP_VERBOSE", "1")).verbose).isTrue();
        assertThat(parse(Map.of("JTAP_VERBOSE", "0")).verbose).isFalse();
        assertThat(parse(Map.of("JTAP_NO_EXIT", "true")).noExit).isTrue();
    }

    @Test
    void valuedFlagsTakeTheVariableAndTheCommandLineWins() throws Exception {
        assertThat(parse(Map.of("JTAP_TUN", "tap7")).tun).isEqualTo("tap7");
        assertThat(parse(Map.of("JTAP_TUN", "tap7"), "--tun", "tap8").tun).isEqualTo("tap8");
        assertThat(parse(Map.of("JTAP_HTTP", "80"), "--http", "81").httpPorts).containsExactly(81);
        assertThat(parse(Map.of("JTAP_HTTP", "80,82")).httpPorts).containsExactly(80, 82);
        assertThat(parse(Map.of("JTAP_HELP", "1")).help).isFalse();
    }

    @Test
    void badBooleanValueIsRejectedWithTheVariableName() {
        assertThatThrownBy(() -> parse(Map.of("JTAP_VERBOSE", "maybe"))).hasMessageContaining("JTAP_VERBOSE");
    }

    @Test
    void commandAfterDoubleDashKeepsItsOwnFlags() throws Exception {
        Options options = parse("-v", "--", "curl", "-v", "--head");
        assertThat(options.verbose).isTrue();
        assertThat(options.command).containsExactly("curl", "-v", "--head");
    }

    @Test
    void commandWithoutDoubleDashStopsOptionParsing() throws Exception {
        assertThat(parse("curl", "-s").command).containsExactly("curl", "-s");
        assertThat(parse("--head", "curl", "--", "x").command).containsExactly("curl", "--", "x");
    }

    @Test
    void usageListsEveryFlagWithItsDefault() {
        String usage = ArgumentParser.usage();
        for (Flag flag : Options.FLAGS) {
            assertThat(usage).contains(flag.longName());
        }
        assertThat(usage).contains("--tun=NAME", "(default jtap0)", "-v, --verbose", "JTAP_<FLAG>");
    }
}
