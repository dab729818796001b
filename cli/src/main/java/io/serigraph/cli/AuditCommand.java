package io.serigraph.cli;

import io.serigraph.pipeline.store.AuditCheck;
import io.serigraph.pipeline.store.DropStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code serigraph audit verify DIR}. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "The drop's append-only, hash-chained audit log.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Override
    public void run() {
        command.commandLine().usage(command.commandLine().getOut());
    }

    /** {@code serigraph audit verify DIR}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Re-compute the audit log's hash chain in DIR/out/drop.db and report the first"
                        + " row whose content or link does not hold (an edited, inserted or"
                        + " deleted row).",
                "Exit codes: 0 intact, 1 broken, 2 bad input."
            })
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The drop folder.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Path db = dir.resolve("out").resolve("drop.db");
            if (!Files.isRegularFile(db)) {
                throw new BadInputException(
                        db + ": no state store here (is " + dir + " a rendered drop?)");
            }
            try (DropStore store = DropStore.open(db)) {
                AuditCheck c = store.verifyAudit();
                if (c.intact()) {
                    System.out.println("audit log intact: " + c.rows() + " rows in " + db);
                    return ExitCodes.OK;
                }
                System.out.println(
                        "audit log broken at row "
                                + c.brokenSeq()
                                + ": "
                                + c.problem()
                                + " ("
                                + db
                                + ")");
                return ExitCodes.FAILURE;
            }
        }
    }
}
