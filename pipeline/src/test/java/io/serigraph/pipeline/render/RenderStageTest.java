package io.serigraph.pipeline.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.composite.CompositorProvider;
import io.serigraph.engine.composite.ComputeDevices;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderStageTest {
    private static final int W = 40;
    private static final int H = 28;
    private static final int BACKGROUND = 0x203040FF;

    @TempDir Path dir;

    /** Three layers of three traits with every kind of alpha: 0, 255, and everything between. */
    static Path writeDrop(Path drop, String seed, int size) throws IOException {
        Random random = new Random(7);
        for (String layer : List.of("Base", "Middle", "Top")) {
            Path folder = drop.resolve("layers").resolve(layer);
            Files.createDirectories(folder);
            for (int t = 0; t < 3; t++) {
                BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        int kind = random.nextInt(4);
                        int a = kind == 0 ? 0 : kind == 1 ? 255 : random.nextInt(256);
                        img.setRGB(x, y, a << 24 | random.nextInt(1 << 24));
                    }
                }
                ImageIO.write(
                        img,
                        "png",
                        folder.resolve(layer + " " + t + "#" + (t + 1) + ".png").toFile());
            }
        }
        String yaml =
                "name: Test\nsymbol: TST\nsize: "
                        + size
                        + "\nseed: \""
                        + seed
                        + "\"\ncanvas: {width: "
                        + W
                        + ", height: "
                        + H
                        + ", background: \"#203040\"}\n"
                        + "layers:\n"
                        + "  - {name: Base, dir: layers/Base}\n"
                        + "  - {name: Middle, dir: layers/Middle}\n"
                        + "  - {name: Top, dir: layers/Top}\n"
                        + "metadata: {name: \"T #{id}\", image_base_uri: \"ipfs://x/\"}\n";
        Path spec = drop.resolve("serigraph.yaml");
        Files.writeString(spec, yaml);
        return spec;
    }

    private RenderStage.Report render(Path spec, int threads, boolean force) throws Exception {
        return render(spec, threads, force, DeviceSetting.JAVA);
    }

    private RenderStage.Report render(Path spec, int threads, boolean force, DeviceSetting device)
            throws Exception {
        return render(spec, threads, force, device, 0);
    }

    private RenderStage.Report render(
            Path spec, int threads, boolean force, DeviceSetting device, int batchSize)
            throws Exception {
        CollectionSpec s = SpecLoader.load(spec);
        TraitLibrary library = TraitLibrary.load(s, threads);
        Plan plan = new Planner().plan(s);
        try (DropStore store = DropStore.open(s.outDir().resolve("drop.db"));
                RenderBackend backend = new LocalRenderBackend(s, library, device, batchSize)) {
            return new RenderStage(s, store)
                    .run(
                            plan,
                            library,
                            backend,
                            new RenderStage.Options(threads, force, "test"),
                            new RenderStage.Listener() {
                                @Override
                                public void begin(int total, int toRender) {}

                                @Override
                                public void rendered(long tokenId, long bytes) {}
                            });
        }
    }

    @Test
    void everyPixelIsWithinOneOfStraightAlphaSourceOver() throws Exception {
        Path spec = writeDrop(dir.resolve("drop"), "42", 20);
        render(spec, 2, false);
        CollectionSpec s = SpecLoader.load(spec);
        Plan plan = new Planner().plan(s);
        int checked = 0;
        double maxError = 0;
        for (var token : plan.tokens()) {
            List<BufferedImage> layers = new ArrayList<>();
            for (int l = 0; l < token.choices().length; l++) {
                layers.add(
                        ImageIO.read(
                                s.layers()
                                        .get(l)
                                        .traits()
                                        .get(token.choices()[l])
                                        .file()
                                        .toFile()));
            }
            BufferedImage out =
                    ImageIO.read(s.outDir().resolve("images/" + token.id() + ".png").toFile());
            assertThat(out.getWidth()).isEqualTo(W);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    double[] ref = referenceOver(layers, x, y);
                    int got = out.getRGB(x, y);
                    int[] rgba = {got >>> 16 & 0xFF, got >>> 8 & 0xFF, got & 0xFF, got >>> 24};
                    for (int c = 0; c < 4; c++) {
                        assertThat((double) rgba[c])
                                .as("token %d pixel (%d,%d) channel %d", token.id(), x, y, c)
                                .isCloseTo(ref[c], org.assertj.core.data.Offset.offset(1.0));
                        maxError = Math.max(maxError, Math.abs(rgba[c] - ref[c]));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(20 * W * H * 4);
        // docs/pixel-math.md, "Accuracy": 3 straight normal layers at opacity 255 over an opaque
        // background are within 1/2 + 3/510 of the exact value.
        assertThat(maxError).isLessThanOrEqualTo(0.5 + 3 / 510.0 + 1e-9);
    }

    /** Straight-alpha source-over in double precision, independent of the engine. */
    private static double[] referenceOver(List<BufferedImage> layers, int x, int y) {
        double r = (BACKGROUND >>> 24) / 255.0;
        double g = (BACKGROUND >>> 16 & 0xFF) / 255.0;
        double b = (BACKGROUND >>> 8 & 0xFF) / 255.0;
        double a = 1.0;
        for (BufferedImage layer : layers) {
            int p = layer.getRGB(x, y);
            double sa = (p >>> 24) / 255.0;
            double sr = (p >>> 16 & 0xFF) / 255.0;
            double sg = (p >>> 8 & 0xFF) / 255.0;
            double sb = (p & 0xFF) / 255.0;
            double oa = sa + a * (1 - sa);
            r = (sr * sa + r * a * (1 - sa)) / oa;
            g = (sg * sa + g * a * (1 - sa)) / oa;
            b = (sb * sa + b * a * (1 - sa)) / oa;
            a = oa;
        }
        return new double[] {r * 255, g * 255, b * 255, a * 255};
    }

    @Test
    void rendersAreByteIdenticalAcrossRunsAndThreadCountsAndSeedsChangeThem() throws Exception {
        Path one = writeDrop(dir.resolve("one"), "42", 25);
        Path many = writeDrop(dir.resolve("many"), "42", 25);
        Path other = writeDrop(dir.resolve("other"), "43", 25);
        render(one, 1, false);
        render(many, 4, false);
        render(other, 2, false);
        for (String sub : List.of("images", "metadata")) {
            List<Path> a = files(dir.resolve("one/out").resolve(sub));
            assertThat(a).hasSize(25);
            for (Path f : a) {
                Path twin = dir.resolve("many/out").resolve(sub).resolve(f.getFileName());
                assertThat(Files.readAllBytes(twin))
                        .as(twin.toString())
                        .isEqualTo(Files.readAllBytes(f));
            }
        }
        long differing = 0;
        for (Path f : files(dir.resolve("one/out/metadata"))) {
            Path o = dir.resolve("other/out/metadata").resolve(f.getFileName());
            if (!Files.readString(o).equals(Files.readString(f))) {
                differing++;
            }
        }
        assertThat(differing).isGreaterThan(0);
    }

    @Test
    void openClAndJavaRenderTheSameBytes() throws Exception {
        CompositorProvider.Availability opencl =
                ComputeDevices.providers().stream()
                        .filter(p -> p.name().equals("opencl"))
                        .map(CompositorProvider::availability)
                        .findFirst()
                        .orElse(CompositorProvider.Availability.unavailable("no opencl provider"));
        Assumptions.assumeTrue(
                opencl.available(),
                "SKIPPED: no OpenCL platform here ("
                        + opencl.reason()
                        + "); install one: apt-get install pocl-opencl-icd ocl-icd-libopencl1");
        // 27 tokens in launches of 5 (the last one short) on OpenCL, one token at a time on Java.
        Path onCl = writeDrop(dir.resolve("opencl"), "42", 27);
        Path onJava = writeDrop(dir.resolve("java"), "42", 27);
        assertThat(render(onCl, 2, false, DeviceSetting.OPENCL, 5).device()).startsWith("opencl");
        assertThat(render(onJava, 2, false, DeviceSetting.JAVA, 1).device()).startsWith("java");
        assertThat(files(dir.resolve("java/out/images"))).hasSize(27);
        for (String sub : List.of("images", "metadata")) {
            for (Path f : files(dir.resolve("java/out").resolve(sub))) {
                Path twin = dir.resolve("opencl/out").resolve(sub).resolve(f.getFileName());
                assertThat(Files.readAllBytes(twin))
                        .as(twin.toString())
                        .isEqualTo(Files.readAllBytes(f));
            }
        }
    }

    @Test
    void oneOfOnesRenderTheirOwnArtAndAttributes() throws Exception {
        Path drop = dir.resolve("ones");
        Path spec = writeDrop(drop, "42", 12);
        BufferedImage queen = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                queen.setRGB(x, y, x < W / 2 ? 0xFFD4AF37 : 0x00000000);
            }
        }
        Files.createDirectories(drop.resolve("art"));
        ImageIO.write(queen, "png", drop.resolve("art/queen.png").toFile());
        Files.writeString(
                spec,
                Files.readString(spec)
                        + "one_of_ones:\n"
                        + "  - {image: art/queen.png, attributes: {Base: Queen, Special: \"1 of 1\"}}\n");
        render(spec, 2, false);
        CollectionSpec s = SpecLoader.load(spec);
        Plan plan = new Planner().plan(s);
        int position = plan.oneOfOnePositions()[0];
        long id = plan.get(position).id();
        String json = Files.readString(drop.resolve("out/metadata/" + id + ".json"));
        assertThat(json).contains("\"value\" : \"Queen\"").contains("\"trait_type\" : \"Special\"");
        BufferedImage out = ImageIO.read(drop.resolve("out/images/" + id + ".png").toFile());
        assertThat(out.getRGB(1, 1)).isEqualTo(0xFFD4AF37); // the art
        assertThat(out.getRGB(W - 2, 1)).isEqualTo(BACKGROUND >>> 8 | 0xFF000000); // background
        // a rerun skips it; changing the art re-renders exactly that token
        assertThat(render(spec, 2, false).rendered()).isZero();
        queen.setRGB(0, 0, 0xFF000000);
        ImageIO.write(queen, "png", drop.resolve("art/queen.png").toFile());
        assertThat(render(spec, 2, false).rendered()).isEqualTo(1);
    }

    @Test
    void metadataFollowsTheErc721Conventions() throws Exception {
        Path spec = writeDrop(dir.resolve("drop"), "42", 3);
        render(spec, 1, false);
        String json =
                Files.readString(dir.resolve("drop/out/metadata/1.json"), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\n  \"name\" : \"T #1\",\n  \"description\" : ");
        assertThat(json).contains("\"image\" : \"ipfs://x/1.png\"");
        assertThat(json).contains("\"trait_type\" : \"Base\"");
        assertThat(json).endsWith("]\n}\n");
    }

    @Test
    void rerunSkipsWhatIsDoneAndRedoesWhatChanged() throws Exception {
        Path spec = writeDrop(dir.resolve("drop"), "42", 27);
        Path images = dir.resolve("drop/out/images");
        assertThat(render(spec, 2, false).rendered()).isEqualTo(27);
        byte[] before = Files.readAllBytes(images.resolve("5.png"));

        RenderStage.Report again = render(spec, 2, false);
        assertThat(again.rendered()).isZero();
        assertThat(again.skipped()).isEqualTo(27);

        Files.delete(images.resolve("5.png"));
        assertThat(render(spec, 2, false).rendered()).isEqualTo(1);
        assertThat(Files.readAllBytes(images.resolve("5.png"))).isEqualTo(before);

        // Replace one trait file: exactly the tokens that use it are redone.
        CollectionSpec s = SpecLoader.load(spec);
        Plan plan = new Planner().plan(s);
        Path replaced = s.layers().get(1).traits().get(0).file();
        long users = plan.tokens().stream().filter(t -> t.choices()[1] == 0).count();
        BufferedImage blank = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        blank.setRGB(3, 3, 0x80FF0000);
        ImageIO.write(blank, "png", replaced.toFile());
        assertThat(users).isBetween(1L, 26L);
        assertThat(render(spec, 2, false).rendered()).isEqualTo((int) users);

        assertThat(render(spec, 1, true).rendered()).isEqualTo(27);
        try (DropStore store = DropStore.open(dir.resolve("drop/out/drop.db"))) {
            assertThat(store.stageRecords(RenderStage.STAGE)).hasSize(27);
            assertThat(store.verifyAudit().intact()).isTrue();
            assertThat(store.audit())
                    .extracting(e -> e.event())
                    .contains("plan.stored", "render.start", "render.done");
        }
    }

    @Test
    void aCorruptLayerIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path spec = writeDrop(dir.resolve("drop"), "42", 5);
        Path victim;
        try (Stream<Path> s = Files.list(dir.resolve("drop/layers/Middle"))) {
            victim = s.sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length - 20] ^= 0x55; // inside IDAT or IEND: a CRC mismatch
        Files.write(victim, bytes);
        CollectionSpec s = SpecLoader.load(spec);
        assertThatThrownBy(() -> TraitLibrary.load(s, 2))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining(victim.getFileName().toString())
                .hasMessageContaining("layers[1]");
        assertThat(dir.resolve("drop/out")).doesNotExist();
    }

    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
