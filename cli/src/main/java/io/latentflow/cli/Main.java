package io.latentflow.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code latentflow} command.
 *
 * <p>Contract: on success stdout carries exactly one line, a JSON object; logs, progress and tables go to
 * stderr. Exit codes: 0 success, 1 runtime failure (engine, I/O), 2 usage error (bad or missing flags or
 * values, a model directory that does not exist). Failures print one line to stderr; {@code --verbose}
 * adds the stack trace.
 */
@Command(name = "latentflow", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "DeepSeek MoE/MLA inference in the JVM.",
        subcommands = {ModelCommand.class, BenchCommand.class, DemoCommand.class, RunCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    boolean verbose;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Debug logging; stack traces on errors.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand (model, bench, demo or run)");
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--verbose")) {
            // before the first logger exists
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit code (in-process entry for tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            if (main.verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable cause = Errors.unwrap(ex);
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + Errors.describe(cause));
            if (main.verbose) {
                cause.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return EXIT_FAILURE;
        });
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        return code;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
