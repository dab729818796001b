package io.serigraph.cli;

import io.serigraph.pipeline.spec.SpecException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code serigraph} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (see {@link ExitCodes}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SerigraphCommand());
        cl.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    PrintWriter err = commandLine.getErr();
                    if (e instanceof SpecException) {
                        err.println("serigraph: " + e.getMessage());
                        err.flush();
                        return ExitCodes.BAD_INPUT;
                    }
                    if (e instanceof BadInputException) {
                        err.println("serigraph: " + e.getMessage());
                        err.flush();
                        return ExitCodes.BAD_INPUT;
                    }
                    err.println(
                            "serigraph: "
                                    + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    if (System.getenv("SERIGRAPH_DEBUG") != null) {
                        e.printStackTrace(err);
                    } else {
                        err.println("(set SERIGRAPH_DEBUG=1 for the stack trace)");
                    }
                    err.flush();
                    return ExitCodes.FAILURE;
                });
        return cl;
    }
}
