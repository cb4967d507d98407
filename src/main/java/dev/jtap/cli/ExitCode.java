package dev.jtap.cli;

/** jtap's own exit codes; otherwise it exits with the child's status (128+N for signal N). */
final class ExitCode {
    static final int OK = 0;
    static final int FAILURE = 1;

    private ExitCode() {
    }
}
