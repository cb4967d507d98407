package dev.jtap.cli;

import picocli.CommandLine;

import java.util.Locale;
import java.util.Map;

/** Reads a default for each flag from {@code JTAP_<FLAG>}, e.g. {@code JTAP_VERBOSE=1}. */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    static String variableFor(String longName) {
        return "JTAP_" + longName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argument) {
        if (!(argument instanceof CommandLine.Model.OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String value = environment.get(variableFor(option.longestName()));
        if (value == null) {
            return null;
        }
        if (option.type() == boolean.class || option.type() == Boolean.class) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes", "on" -> "true";
                case "", "0", "false", "no", "off" -> "false";
                default -> throw new CommandLine.ParameterException(option.command().commandLine(),
                        variableFor(option.longestName()) + " must be 1 or 0, not '" + value + "'");
            };
        }
        return value;
    }
}
