package io.serigraph.cli;

import io.serigraph.pipeline.publish.PublishStage;
import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.qc.Verdict;
import io.serigraph.pipeline.render.RenderStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph demo [DIR]}: a whole drop on the sample collection. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run a drop end to end on the sample collection, with embedded defaults and no"
                    + " servers: write the sample (once), render it, check it (qc), publish it.",
            "Running it again resumes and reuses what is already done."
        })
final class DemoCommand implements Callable<Integer> {
    /** The demo's fixed seed, so every demo gives the same tokens. */
    static final String DEMO_SEED = "serigraph-demo";

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            description = "Folder for the demo (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("serigraph-demo");

    @Option(names = "--size", paramLabel = "N", description = "Tokens (default ${DEFAULT-VALUE}).")
    int size = 1000;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Rendering threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(
            names = "--device",
            paramLabel = "auto|opencl|java",
            description =
                    "Compositing device (default: SERIGRAPH_DEVICE, else auto: GPU, then CPU"
                            + " OpenCL, then Java; all give the same bytes).")
    String device;

    @Override
    public Integer call() throws Exception {
        var out = System.out;
        if (!Files.exists(dir.resolve("serigraph.yaml"))) {
            InitCommand init = new InitCommand();
            init.dir = dir;
            init.size = size;
            init.seed = DEMO_SEED;
            out.println("serigraph demo: a sample collection of " + size + " moths in " + dir);
            init.init(out);
        } else {
            out.println("serigraph demo: resuming the drop in " + dir);
        }
        RenderStage.Report r =
                Drops.render(dir, threads, false, device, Drops.actor(), out, Drops.terminal());
        out.println(RenderCommand.summary(r, dir));
        QcStage.Report qc =
                QcCommand.check(dir, threads, false, Drops.actor(), out, Drops.terminal());
        out.print(QcCommand.summary(qc));
        PublishStage.Report p =
                Drops.publish(dir, threads, false, Drops.actor(), out, Drops.terminal());
        PublishCommand.print(p, dir, out);
        Path o = dir.resolve("out");
        out.println();
        out.println("made:");
        out.println("  spec      " + dir.resolve("serigraph.yaml"));
        out.println("  layers    " + dir.resolve("layers") + "  (7 layers drawn by the engine)");
        out.println("  images    " + o.resolve("images") + "  (" + r.total() + " PNG files)");
        out.println("  metadata  " + o.resolve("metadata") + "  (ERC-721 JSON)");
        out.println("  qc        " + o.resolve("qc") + "  (verdict and measurements per token)");
        out.println("  published " + o.resolve("publish") + "  (final metadata, contract.json)");
        out.println("  CARs      " + o.resolve("car") + "  (images.car, metadata.car)");
        out.println("  proof     " + o.resolve("provenance.json") + "  (lineage of every token)");
        out.println(
                "  state     " + o.resolve("drop.db") + "  (plan, lineage, verdicts, audit log)");
        out.println();
        out.println("try: serigraph verify " + dir + "   (re-derives every token)");
        out.println(
                "     serigraph review "
                        + dir
                        + "   (decide on the REVIEW tokens on a local page; --cli: in the terminal)");
        return qc.worst() == Verdict.FAIL ? ExitCodes.FAILURE : ExitCodes.OK;
    }
}
