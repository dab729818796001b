package io.serigraph.pipeline.publish;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** A small real drop on disk (PNG layers written with javax.imageio), rendered and published. */
final class TestDrop {
    static final int W = 24;
    static final int H = 16;

    static final RenderStage.Listener QUIET =
            new RenderStage.Listener() {
                @Override
                public void begin(int total, int toRender) {}

                @Override
                public void rendered(long tokenId, long bytes) {}
            };

    final Path dir;
    final Path spec;

    private TestDrop(Path dir, Path spec) {
        this.dir = dir;
        this.spec = spec;
    }

    /** A drop whose spec and layers the caller wrote. */
    static TestDrop existing(Path dir) {
        return new TestDrop(dir, dir.resolve("serigraph.yaml"));
    }

    /**
     * Three layers of three random traits each (27 combinations); {@code extraYaml} is appended to
     * the spec (e.g. a publish block).
     */
    static TestDrop create(Path dir, int size, String extraYaml) throws IOException {
        Random random = new Random(11);
        for (String layer : List.of("Base", "Middle", "Top")) {
            for (int t = 0; t < 3; t++) {
                writeRandomPng(
                        dir.resolve("layers").resolve(layer).resolve(layer + " " + t + ".png"),
                        random);
            }
        }
        String yaml =
                "name: Test\nsymbol: TST\ndescription: Tests.\nsize: "
                        + size
                        + "\nseed: \"publish-test\"\ncanvas: {width: "
                        + W
                        + ", height: "
                        + H
                        + ", background: \"#203040\"}\n"
                        + "layers:\n"
                        + "  - {name: Base, dir: layers/Base}\n"
                        + "  - {name: Middle, dir: layers/Middle}\n"
                        + "  - {name: Top, dir: layers/Top}\n"
                        + "metadata: {name: \"T #{id}\"}\n"
                        + extraYaml;
        Path spec = dir.resolve("serigraph.yaml");
        Files.createDirectories(dir);
        Files.writeString(spec, yaml);
        return new TestDrop(dir, spec);
    }

    static void writeRandomPng(Path file, Random random) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int a = random.nextBoolean() ? 0 : 128 + random.nextInt(128);
                img.setRGB(x, y, a << 24 | random.nextInt(1 << 24));
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    CollectionSpec load() throws Exception {
        return SpecLoader.load(spec);
    }

    Path out() {
        return dir.resolve("out");
    }

    RenderStage.Report render() throws Exception {
        CollectionSpec s = load();
        TraitLibrary library = TraitLibrary.load(s, 2);
        Plan plan = new Planner(2).plan(s);
        try (DropStore store = DropStore.open(s.outDir().resolve("drop.db"));
                RenderBackend backend = new LocalRenderBackend(s, library)) {
            return new RenderStage(s, store)
                    .run(plan, library, backend, new RenderStage.Options(2, false, "test"), QUIET);
        }
    }

    PublishStage.Report publish(boolean force) throws Exception {
        CollectionSpec s = load();
        TraitLibrary library = TraitLibrary.load(s, 2);
        Plan plan = new Planner(2).plan(s);
        try (DropStore store = DropStore.open(s.outDir().resolve("drop.db"));
                RenderBackend backend = new LocalRenderBackend(s, library)) {
            return new PublishStage(s, store)
                    .run(plan, library, backend, new PublishStage.Options(force, "test"), QUIET);
        }
    }
}
