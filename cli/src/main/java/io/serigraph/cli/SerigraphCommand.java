package io.serigraph.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code serigraph}: the root command. */
@Command(
        name = "serigraph",
        mixinStandardHelpOptions = true,
        versionProvider = SerigraphCommand.Version.class,
        description = {
            "Deterministic generative-art drops: plan traits, render tokens, check them (QC),"
                    + " publish, pin, verify and mint them.",
            "",
            "Exit codes: 0 success, 1 failure, 2 bad input."
        },
        subcommands = {
            InitCommand.class,
            SimulateCommand.class,
            RenderCommand.class,
            QcCommand.class,
            ScoreCommand.class,
            SearchCommand.class,
            ReviewCommand.class,
            DemoCommand.class,
            PublishCommand.class,
            VerifyCommand.class,
            AuditCommand.class,
            PinCommand.class,
            MintCommand.class,
            ServeCommand.class,
            BenchCommand.class
        })
final class SerigraphCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SerigraphCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "serigraph " + (v == null ? "(development build)" : v),
                "Java "
                        + System.getProperty("java.version")
                        + " on "
                        + System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.arch")
            };
        }
    }
}
