package dev.jtap;

/**
 * How many seeded-random inputs each parser fuzz test tries. The regular build uses the test's own
 * default (at least 10^4); {@code mvn -Pfuzz-long test} sets {@code jtap.fuzz.iterations} to 10^6,
 * and {@code -Djtap.fuzz.iterations=N} picks any other count.
 */
public final class Fuzz {
    public static final String PROPERTY = "jtap.fuzz.iterations";

    private Fuzz() {
    }

    /** The configured count, or {@code regular} when {@value #PROPERTY} is unset or blank. */
    public static int iterations(int regular) {
        String value = System.getProperty(PROPERTY, "").strip();
        return value.isEmpty() ? regular : Integer.parseInt(value.replace("_", ""));
    }
}
