package dev.jtap.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentDefaultsTest {
    private static Options parse(Map<String, String> environment, String... args) {
        Options options = new Options();
        new CommandLine(options).setDefaultValueProvider(new EnvironmentDefaults(environment))
                .setStopAtPositional(true).parseArgs(args);
        return options;
    }

    @Test
    void variableNameIsPrefixedUpperSnakeCase() {
        assertThat(EnvironmentDefaults.variableFor("--no-new-user-namespace")).isEqualTo("JTAP_NO_NEW_USER_NAMESPACE");
        assertThat(EnvironmentDefaults.variableFor("--verbose")).isEqualTo("JTAP_VERBOSE");
    }

    @Test
    void booleanFlagsAcceptOneAndZero() {
        assertThat(parse(Map.of("JTAP_VERBOSE", "1")).verbose).isTrue();
        assertThat(parse(Map.of("JTAP_VERBOSE", "0")).verbose).isFalse();
        assertThat(parse(Map.of("JTAP_NO_EXIT", "true")).noExit).isTrue();
    }

    @Test
    void valuedFlagsTakeTheVariableAndTheCommandLineWins() {
        assertThat(parse(Map.of("JTAP_TUN", "tap7")).tun).isEqualTo("tap7");
        assertThat(parse(Map.of("JTAP_TUN", "tap7"), "--tun", "tap8").tun).isEqualTo("tap8");
        assertThat(parse(Map.of()).subnet).isEqualTo("10.1.1.100/24");
    }

    @Test
    void badBooleanValueIsRejectedWithTheVariableName() {
        assertThatThrownBy(() -> parse(Map.of("JTAP_VERBOSE", "maybe")))
                .hasMessageContaining("JTAP_VERBOSE");
    }

    @Test
    void commandAfterDoubleDashKeepsItsOwnFlags() {
        Options options = parse(Map.of(), "-v", "--", "curl", "-v", "--head");
        assertThat(options.verbose).isTrue();
        assertThat(options.command).containsExactly("curl", "-v", "--head");
    }

    @Test
    void commandWithoutDoubleDashStopsOptionParsing() {
        assertThat(parse(Map.of(), "curl", "-s").command).containsExactly("curl", "-s");
    }
}
