package io.serigraph.cli;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.qc.LocalScoreBackend;
import io.serigraph.pipeline.qc.QcException;
import io.serigraph.pipeline.qc.ScoreStage;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.ScoreStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph score DIR [--model NAME]}. */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Embed and score every rendered token of DIR with a CLIP model (and its aesthetic"
                    + " head), storing each token's embedding and aesthetic score in"
                    + " DIR/out/scores.db for QC and 'serigraph search'.",
            "A rerun scores only tokens whose image or model changed."
        })
final class ScoreCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "DIR",
            description = "The drop folder (holds serigraph.yaml and the rendered out/).")
    Path dir;

    @Mixin ModelOptions model = new ModelOptions();

    @Option(names = "--force", description = "Rescore every token, even those up to date.")
    boolean force;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description =
                    "Scoring threads; they mostly wait on the model's batcher, so more than the"
                            + " cores lets batches form (default: ${DEFAULT-VALUE}).")
    int threads = 16;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, was " + threads);
        }
        PrintStream out = System.out;
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        ScoreStage.Report r = score(spec, model, threads, force, out, Drops.terminal());
        double secs = Math.max(r.elapsed().toNanos() / 1e9, 1e-9);
        out.printf(
                Locale.ROOT,
                "score: %d tokens (%d scored, %d up to date) in %.1f s (%.1f tok/s) with %s;"
                        + " stored in %s%n",
                r.total(),
                r.scored(),
                r.total() - r.scored(),
                secs,
                r.scored() / secs,
                r.model(),
                spec.outDir().resolve(ScoreStore.FILE_NAME));
        return ExitCodes.OK;
    }

    static ScoreStage.Report score(
            CollectionSpec spec,
            ModelOptions model,
            int threads,
            boolean force,
            PrintStream out,
            boolean terminal)
            throws BadInputException, SpecException, IOException {
        Plan plan =
                new Planner(Math.min(threads, Runtime.getRuntime().availableProcessors()))
                        .plan(spec);
        try (LocalScoreBackend backend = model.open(spec.qc().model());
                DropStore store = DropStore.open(spec.outDir().resolve("drop.db"));
                ScoreStore scores = ScoreStore.open(spec.outDir().resolve(ScoreStore.FILE_NAME))) {
            out.println("score: model " + backend.description() + " from " + model.store());
            ProgressBar bar = new ProgressBar(out, terminal, "score");
            ScoreStage.Report report =
                    new ScoreStage(spec, store, scores, backend)
                            .run(plan, new ScoreStage.Options(threads, force, Drops.actor()), bar);
            bar.finish();
            return report;
        } catch (QcException e) {
            throw new BadInputException(spec.outDir().getParent() + ": " + e.getMessage());
        }
    }
}
