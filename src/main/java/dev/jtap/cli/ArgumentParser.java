package dev.jtap.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads jtap's command line into {@link Options}: {@code --flag value} or {@code --flag=value};
 * flags end at {@code --} or at the first word that is not a flag (the command, whose own flags are
 * left alone). A flag not on the command line takes its value from {@code JTAP_<FLAG>} if set.
 */
final class ArgumentParser {
    private static final Map<String, Flag> BY_NAME = new HashMap<>();

    static {
        for (Flag flag : Options.FLAGS) {
            flag.names().forEach(name -> BY_NAME.put(name, flag));
        }
    }

    private ArgumentParser() {
    }

    static Options parse(String[] args, Map<String, String> environment) throws UserError {
        Options options = new Options();
        Map<Flag, List<String>> given = new LinkedHashMap<>();
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                break;
            }
            int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = equals < 0 ? arg : arg.substring(0, equals);
            Flag flag = BY_NAME.get(name);
            if (flag == null) {
                throw new UserError("unknown option '" + name + "'");
            }
            String value;
            if (flag.isSwitch()) {
                value = equals < 0 ? "true" : switchValue(name, arg.substring(equals + 1));
            } else if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && (!args[i + 1].startsWith("-") || args[i + 1].equals("-"))) {
                value = args[++i];
            } else {
                throw new UserError("option '" + name + "' needs a value (" + flag.label() + ")");
            }
            List<String> values = given.computeIfAbsent(flag, f -> new ArrayList<>());
            if (!values.isEmpty() && !flag.repeatable()) {
                throw new UserError("option '" + flag.longName() + "' should be specified only once");
            }
            values.add(value);
            i++;
        }
        options.command = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
        for (Flag flag : Options.FLAGS) {
            List<String> values = given.get(flag);
            if (values == null) {
                values = fromEnvironment(flag, environment);
            }
            for (String value : values) {
                try {
                    flag.apply().accept(options, value);
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
            }
        }
        return options;
    }

    private static List<String> fromEnvironment(Flag flag, Map<String, String> environment) {
        String value = environment.get(flag.variable());
        if (value == null || flag.longName().equals("--help") || flag.longName().equals("--version")) {
            return List.of();
        }
        return List.of(flag.isSwitch() ? switchValue(flag.variable(), value) : value);
    }

    private static String switchValue(String source, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> "true";
            case "", "0", "false", "no", "off" -> "false";
            default -> throw new IllegalArgumentException(source + " must be 1 or 0, not '" + value + "'");
        };
    }

    /** A comma-separated list of TCP ports. */
    static List<Integer> ports(String flag, String value) {
        List<Integer> ports = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            int port = number(flag, part.strip());
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(flag + ": '" + part + "' is not a TCP port");
            }
            ports.add(port);
        }
        return ports;
    }

    static int nonNegative(String flag, String value) {
        int number = number(flag, value.strip());
        if (number < 0) {
            throw new IllegalArgumentException(flag + ": '" + value + "' is negative");
        }
        return number;
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": '" + value + "' is not a number");
        }
    }

    /** The help text: usage, one line per flag, the command, the environment. */
    static String usage() {
        StringBuilder text = new StringBuilder()
                .append("Usage: jtap [FLAGS] [--] [COMMAND [ARG...]]\n")
                .append("Run a command in its own network namespace and show every HTTP(S) request it makes.\n\n");
        List<String[]> rows = new ArrayList<>();
        for (Flag flag : Options.FLAGS) {
            String names = flag.names().size() > 1 ? String.join(", ", flag.names()) : "    " + flag.longName();
            String left = "  " + names + (flag.isSwitch() ? "" : "=" + flag.label());
            String help = flag.help() + (flag.defaultValue() != null ? " (default " + flag.defaultValue() + ")" : "");
            rows.add(new String[] {left, help});
        }
        rows.add(new String[] {"  COMMAND", "the command to run (default: $SHELL, else /bin/sh)"});
        int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0) + 2;
        for (String[] row : rows) {
            text.append(row[0]).append(" ".repeat(width - row[0].length())).append(row[1]).append('\n');
        }
        return text.append("\nEach flag can also be set with an environment variable JTAP_<FLAG>, e.g. JTAP_VERBOSE=1.\n")
                .toString();
    }
}
