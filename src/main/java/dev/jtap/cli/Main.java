package dev.jtap.cli;

import dev.jtap.linux.ErrnoException;
import dev.jtap.linux.LibC;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;

import java.io.PrintStream;

/** Entry point: parses flags, runs one {@link Session}, exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        prepareJvm();
        System.exit(run(args));
    }

    /** What the JVM needs before jtap's first line of work. */
    static void prepareJvm() {
        Thread.ofPlatform().name("jtap-link").daemon(true).start(LibC::link);
        // Libraries must not print on the user's terminal: Netty's log goes to SLF4J's no-op binding (by
        // itself Netty passes over that binding for java.util.logging, whose console handler would print).
        InternalLoggerFactory.setDefaultFactory(Slf4JLoggerFactory.INSTANCE);
        // Netty's buffer events would start the JDK's flight recorder machinery on the first big
        // allocation: tens of ms of class loading in the middle of the child's first transfer.
        System.setProperty("io.netty.jfr.enabled", System.getProperty("io.netty.jfr.enabled", "false"));
    }

    static int run(String[] args) {
        Options options;
        try {
            options = ArgumentParser.parse(args, System.getenv());
        } catch (UserError e) {
            System.err.println("jtap: " + e.getMessage() + " (see jtap --help)");
            return ExitCode.FAILURE;
        }
        if (options.help) {
            System.out.print(ArgumentParser.usage());
            return ExitCode.OK;
        }
        if (options.version) {
            System.out.println("jtap " + Version.current());
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
