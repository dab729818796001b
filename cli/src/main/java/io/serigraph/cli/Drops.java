package io.serigraph.cli;

import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.publish.PublishException;
import io.serigraph.pipeline.publish.PublishStage;
import io.serigraph.pipeline.qc.QcException;
import io.serigraph.pipeline.qc.Rerolls;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.RenderException;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The drop's stages as the commands run them. */
final class Drops {
    private Drops() {}

    /** The help text of every command's {@code --device} option. */
    static final String DEVICE_HELP =
            "Compositing device (default: SERIGRAPH_DEVICE, else auto: an OpenCL GPU, else Java;"
                    + " opencl forces OpenCL, a CPU device too; all give the same bytes).";

    /** The spec file of a drop folder, or a bad-input error saying what is missing. */
    static Path specFile(Path dir) throws BadInputException {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(
                    dir + ": no such folder (create one with 'serigraph init " + dir + "')");
        }
        Path spec = dir.resolve("serigraph.yaml");
        if (!Files.isRegularFile(spec)) {
            throw new BadInputException(
                    dir
                            + ": no serigraph.yaml here (write one with 'serigraph init "
                            + dir
                            + " --from LAYERS')");
        }
        return spec;
    }

    /**
     * Loads, validates and renders the drop in {@code dir}. Everything that can be wrong with the
     * input (the spec, every layer file) is checked before anything is written.
     */
    static RenderStage.Report render(
            Path dir,
            int threads,
            boolean force,
            String device,
            String actor,
            PrintStream out,
            boolean terminal)
            throws BadInputException, SpecException, IOException, RenderException {
        return render(dir, threads, force, device, null, actor, out, terminal);
    }

    /** As above, rendering through a node when {@code node} names one ({@code --node}). */
    static RenderStage.Report render(
            Path dir,
            int threads,
            boolean force,
            String device,
            NodeOptions node,
            String actor,
            PrintStream out,
            boolean terminal)
            throws BadInputException, SpecException, IOException, RenderException {
        DeviceSetting setting = deviceSetting(device);
        CollectionSpec spec = SpecLoader.load(specFile(dir));
        TraitLibrary library = TraitLibrary.load(spec, threads);
        Plan planned = new Planner(threads).plan(spec);
        try (DropStore store = DropStore.open(spec.outDir().resolve("drop.db"));
                RenderBackend backend =
                        node != null && node.enabled()
                                ? node.open(spec)
                                : new LocalRenderBackend(spec, library, setting)) {
            Plan plan = plan(spec, planned, store, actor, dir);
            ProgressBar bar = new ProgressBar(out, terminal, "render");
            RenderStage.Report report =
                    new RenderStage(spec, store)
                            .run(
                                    plan,
                                    library,
                                    backend,
                                    new RenderStage.Options(threads, force, actor),
                                    bar);
            bar.finish();
            return report;
        }
    }

    /**
     * The plan the drop's stages work on: the spec's plan with the reviewers' re-rolls, after
     * applying those not yet applied ({@link Rerolls#apply}: each re-rolled token is re-drawn, and
     * its render, QC and publish results are invalidated so that the stages redo exactly it).
     */
    static Plan plan(CollectionSpec spec, Plan planned, DropStore store, String actor, Path dir)
            throws BadInputException {
        try {
            return Rerolls.apply(spec, planned, store, actor);
        } catch (QcException e) {
            throw new BadInputException(dir + ": " + e.getMessage());
        }
    }

    /** The compute device setting from {@code --device}, else SERIGRAPH_DEVICE, else auto. */
    static DeviceSetting deviceSetting(String explicit) throws BadInputException {
        try {
            return DeviceSetting.resolve(explicit);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /**
     * Publishes the rendered drop in {@code dir}: image CIDs, final metadata, metadata CID, CAR
     * files, contract metadata, provenance. Checks the spec and every layer file first.
     */
    static PublishStage.Report publish(
            Path dir, int threads, boolean force, String actor, PrintStream out, boolean terminal)
            throws BadInputException, SpecException, IOException, PublishException {
        CollectionSpec spec = SpecLoader.load(specFile(dir));
        TraitLibrary library = TraitLibrary.load(spec, threads);
        Plan planned = new Planner(threads).plan(spec);
        Path db = spec.outDir().resolve("drop.db");
        if (!Files.isRegularFile(db)) {
            throw new BadInputException(
                    dir + ": nothing rendered yet (run 'serigraph render " + dir + "' first)");
        }
        try (DropStore store = DropStore.open(db);
                RenderBackend backend = new LocalRenderBackend(spec, library)) {
            Plan plan = plan(spec, planned, store, actor, dir);
            ProgressBar bar = new ProgressBar(out, terminal, "publish");
            PublishStage.Report report =
                    new PublishStage(spec, store)
                            .run(
                                    plan,
                                    library,
                                    backend,
                                    new PublishStage.Options(force, actor),
                                    bar);
            bar.finish();
            return report;
        }
    }

    static String actor() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "serigraph" : user;
    }

    static boolean terminal() {
        return System.console() != null;
    }
}
