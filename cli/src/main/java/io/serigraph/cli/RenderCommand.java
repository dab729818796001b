package io.serigraph.cli;

import io.serigraph.pipeline.render.RenderStage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph render DIR}. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = {
            "Plan and render every token of DIR/serigraph.yaml into DIR/out/images/<id>.png and"
                    + " DIR/out/metadata/<id>.json.",
            "A rerun skips tokens already rendered from the same inputs and redoes those whose"
                    + " inputs changed."
        })
final class RenderCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "DIR",
            description = "The drop folder (holds serigraph.yaml).")
    Path dir;

    @Option(names = "--force", description = "Re-render every token, even those up to date.")
    boolean force;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Rendering threads (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--device", paramLabel = "auto|opencl|java", description = Drops.DEVICE_HELP)
    String device;

    @picocli.CommandLine.Mixin NodeOptions node = new NodeOptions();

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, was " + threads);
        }
        var out = System.out;
        RenderStage.Report r =
                Drops.render(
                        dir, threads, force, device, node, Drops.actor(), out, Drops.terminal());
        out.println(summary(r, dir));
        return ExitCodes.OK;
    }

    static String summary(RenderStage.Report r, Path dir) {
        double s = Math.max(r.elapsed().toNanos() / 1e9, 1e-9);
        return String.format(
                Locale.ROOT,
                "rendered %d, up to date %d, of %d tokens in %.1f s (%.1f tok/s on %s), %.1f MB"
                        + " written to %s",
                r.rendered(),
                r.skipped(),
                r.total(),
                s,
                r.rendered() / s,
                r.device(),
                r.bytesWritten() / 1e6,
                dir.resolve("out"));
    }
}
