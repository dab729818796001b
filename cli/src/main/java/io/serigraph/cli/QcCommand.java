package io.serigraph.cli;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.qc.LocalScoreBackend;
import io.serigraph.pipeline.qc.QcException;
import io.serigraph.pipeline.qc.QcResult;
import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.qc.Verdict;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph qc DIR}. */
@Command(
        name = "qc",
        mixinStandardHelpOptions = true,
        description = {
            "Check every rendered token of DIR (spec key qc:) and archive each verdict with its"
                    + " measurements in DIR/out/qc/<id>.json and the state store.",
            "Exit code 1 when a token FAILs, 0 when every token passes or awaits review, 2 on bad"
                    + " input (e.g. tokens not rendered yet)."
        })
final class QcCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "DIR",
            description = "The drop folder (holds serigraph.yaml and the rendered out/).")
    Path dir;

    @Option(names = "--force", description = "Re-measure every token, even those up to date.")
    boolean force;

    /** For the model checks (qc.model in the spec); --model overrides qc.model. */
    @picocli.CommandLine.Mixin ModelOptions model = new ModelOptions();

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Checking threads (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, was " + threads);
        }
        PrintStream out = System.out;
        QcStage.Report r = check(dir, threads, force, model, Drops.actor(), out, Drops.terminal());
        out.print(summary(r));
        return r.worst() == Verdict.FAIL ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** Runs QC on the rendered drop in {@code dir}. */
    static QcStage.Report check(
            Path dir, int threads, boolean force, String actor, PrintStream out, boolean terminal)
            throws BadInputException, SpecException, IOException {
        return check(dir, threads, force, new ModelOptions(), actor, out, terminal);
    }

    /**
     * Runs QC on the rendered drop in {@code dir}, loading the scoring model from {@code model}'s
     * store when the spec sets qc.model.
     */
    static QcStage.Report check(
            Path dir,
            int threads,
            boolean force,
            ModelOptions model,
            String actor,
            PrintStream out,
            boolean terminal)
            throws BadInputException, SpecException, IOException {
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        TraitLibrary library = TraitLibrary.load(spec, threads);
        Plan planned = new Planner(threads).plan(spec);
        boolean scoring = spec.qc().scoringModel().isPresent();
        try (DropStore store = DropStore.open(spec.outDir().resolve("drop.db"));
                LocalScoreBackend scores = scoring ? model.open(spec.qc().model()) : null) {
            Plan plan = Drops.plan(spec, planned, store, actor, dir);
            if (scores != null) {
                out.println(
                        "qc: model checks with " + scores.description() + " from " + model.store());
            }
            ProgressBar bar = new ProgressBar(out, terminal, "qc");
            QcStage.Report report =
                    new QcStage(spec, store, scores)
                            .run(plan, library, new QcStage.Options(threads, force, actor), bar);
            bar.finish();
            return report;
        } catch (QcException e) {
            throw new BadInputException(dir + ": " + e.getMessage());
        }
    }

    /** The summary table: tokens per verdict, then per check; then the first tokens to act on. */
    static String summary(QcStage.Report r) {
        StringBuilder s = new StringBuilder();
        double secs = Math.max(r.elapsed().toNanos() / 1e9, 1e-9);
        s.append(
                String.format(
                        Locale.ROOT,
                        "qc: %d tokens (%d measured, %d up to date) in %.1f s (%.1f tok/s)%n",
                        r.total(),
                        r.measured(),
                        r.total() - r.measured(),
                        secs,
                        r.measured() / secs));
        s.append(
                String.format(
                        Locale.ROOT,
                        "%-16s %8d PASS %8d REVIEW %8d FAIL%n",
                        "all checks",
                        r.verdicts().get(Verdict.PASS),
                        r.verdicts().get(Verdict.REVIEW),
                        r.verdicts().get(Verdict.FAIL)));
        for (Map.Entry<String, Map<Verdict, Integer>> e : r.perCheck().entrySet()) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%-16s %8d PASS %8d REVIEW %8d FAIL%n",
                            e.getKey(),
                            e.getValue().get(Verdict.PASS),
                            e.getValue().get(Verdict.REVIEW),
                            e.getValue().get(Verdict.FAIL)));
        }
        int shown = 0;
        for (QcResult t : r.results()) {
            if (t.verdict() == Verdict.PASS) {
                continue;
            }
            if (shown++ == 10) {
                s.append("... (every verdict is in out/qc/<id>.json)\n");
                break;
            }
            for (QcResult.Measurement m : t.measurements()) {
                if (m.verdict() != Verdict.PASS) {
                    s.append(
                            String.format(
                                    Locale.ROOT,
                                    "token %d %s: %s = %.4g (%s %.4g): %s%n",
                                    t.tokenId(),
                                    m.verdict(),
                                    m.check(),
                                    m.value(),
                                    m.higherIsWorse() ? "above" : "below",
                                    m.threshold(),
                                    m.remedy()));
                }
            }
        }
        return s.toString();
    }
}
