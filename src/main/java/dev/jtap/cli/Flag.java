package dev.jtap.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * One command-line flag: its names (short first, the long name last), the label of its value
 * ({@code null} for a switch), its default as shown in the help, its help line, whether it may be
 * given more than once, and how its value lands in {@link Options}.
 */
record Flag(List<String> names, String label, String defaultValue, String help, boolean repeatable,
            BiConsumer<Options, String> apply) {

    static Flag toggle(List<String> names, String help, BiConsumer<Options, Boolean> apply) {
        return new Flag(names, null, null, help, false, (options, value) -> apply.accept(options, Boolean.parseBoolean(value)));
    }

    static Flag value(String name, String label, String defaultValue, String help, BiConsumer<Options, String> apply) {
        return new Flag(List.of(name), label, defaultValue, help, false, apply);
    }

    /** A flag that may be repeated, each value adding to a list. */
    static Flag repeated(String name, String label, String help, BiConsumer<Options, String> apply) {
        return new Flag(List.of(name), label, null, help, true, apply);
    }

    boolean isSwitch() {
        return label == null;
    }

    String longName() {
        return names.getLast();
    }

    /** {@code JTAP_<FLAG>}, e.g. {@code JTAP_NO_NEW_USER_NAMESPACE} for {@code --no-new-user-namespace}. */
    String variable() {
        return "JTAP_" + longName().substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
