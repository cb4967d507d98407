package dev.jtap.cli;

import dev.jtap.linux.ErrnoException;
import picocli.CommandLine;

import java.io.PrintStream;

/** Entry point: parses flags, runs one {@link Session}, exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        java.util.logging.LogManager.getLogManager().reset(); // libraries must not print on the user's terminal
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options options = new Options();
        CommandLine commandLine = new CommandLine(options)
                .setDefaultValueProvider(new EnvironmentDefaults(System.getenv()))
                .setStopAtPositional(true)
                .setExpandAtFiles(false)
                .setUnmatchedOptionsArePositionalParams(false);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("jtap: " + e.getMessage() + " (see jtap --help)");
            return ExitCode.FAILURE;
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return ExitCode.OK;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(System.out);
            return ExitCode.OK;
        }
        PrintStream out = options.stderr || "-".equals(options.dumpJsonl) ? System.err : System.out;
        try {
            return new Session(options, out).run();
        } catch (UserError | IllegalArgumentException e) {
            System.err.println("jtap: " + e.getMessage());
        } catch (ErrnoException e) {
            System.err.println("jtap: " + Problems.explain(e));
        } catch (Exception e) {
            System.err.println("jtap: " + e);
            if (options.verbose) {
                e.printStackTrace();
            }
        }
        return ExitCode.FAILURE;
    }
}
