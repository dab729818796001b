package io.serigraph.pipeline.sample;

import static io.serigraph.pipeline.sample.Sketch.circle;
import static io.serigraph.pipeline.sample.Sketch.ellipse;
import static io.serigraph.pipeline.sample.Sketch.line;
import static io.serigraph.pipeline.sample.Sketch.mirror;
import static io.serigraph.pipeline.sample.Sketch.polygon;
import static io.serigraph.pipeline.sample.Sketch.rect;
import static io.serigraph.pipeline.sample.Sketch.ring;
import static io.serigraph.pipeline.sample.Sketch.star;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.pipeline.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sample collection "Moths": seven HashLips-style layer folders (6 to 7 traits each, decimal
 * weights, two optional layers, anti-aliased alpha edges and one semi-transparent trait) drawn by
 * the engine itself, plus a commented {@code serigraph.yaml}. Same bytes on every run, so nothing
 * outside the repository is needed to try Serigraph.
 */
public final class SampleCollection {
    /** Design units: every drawing is laid out on a 512 x 512 grid and scaled to the canvas. */
    private static final double UNIT = 512;

    private record Trait(String file, Consumer<Sketch> draw) {}

    private record Layer(String folder, String name, String none, List<Trait> traits) {}

    private final int canvas;
    private final double k;

    /** A sample collection drawn on a square canvas of {@code canvas} pixels. */
    public SampleCollection(int canvas) {
        if (canvas < 64) {
            throw new IllegalArgumentException("the sample canvas must be at least 64 pixels");
        }
        this.canvas = canvas;
        this.k = canvas / UNIT;
    }

    /** Number of unique trait combinations of the sample layers. */
    public long combinations() {
        long n = 1;
        for (Layer layer : layers()) {
            n *= layer.traits().size() + (layer.none() == null ? 0 : 1);
        }
        return n;
    }

    /**
     * Writes {@code dir/layers/...} and {@code dir/serigraph.yaml}. Refuses to overwrite an
     * existing spec.
     */
    public Path write(Path dir, int size, String seed) throws IOException {
        Path spec = dir.resolve("serigraph.yaml");
        if (Files.exists(spec)) {
            throw new IOException(spec + " already exists; choose an empty folder");
        }
        try (PngEncoder encoder = new PngEncoder(PngEncoder.FilterStrategy.ADAPTIVE, 9)) {
            for (Layer layer : layers()) {
                Path folder = dir.resolve("layers").resolve(layer.folder());
                for (Trait trait : layer.traits()) {
                    Sketch sketch = new Sketch(new RgbaImage(canvas, canvas));
                    trait.draw().accept(sketch);
                    AtomicFiles.write(folder.resolve(trait.file()), encoder.encode(sketch.image()));
                }
            }
        }
        AtomicFiles.write(spec, specText(size, seed).getBytes(StandardCharsets.UTF_8));
        return spec;
    }

    private String specText(int size, String seed) {
        StringBuilder y = new StringBuilder();
        y.append("# A Serigraph collection spec: see docs/spec.md for every key.\n");
        y.append("name: Moths\n");
        y.append("symbol: MOTH\n");
        y.append("description: Night visitors, drawn by Serigraph's own engine.\n");
        y.append("size: ").append(size).append('\n');
        y.append("# Keep the seed secret until reveal: it decides every token's traits.\n");
        y.append("seed: \"")
                .append(seed.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"\n");
        y.append("start_id: 1\n");
        y.append("canvas:\n");
        y.append("  width: ").append(canvas).append('\n');
        y.append("  height: ").append(canvas).append('\n');
        y.append("layers:   # bottom to top; trait files are <Trait>#<weight>.png\n");
        for (Layer layer : layers()) {
            y.append("  - name: ").append(layer.name()).append('\n');
            y.append("    dir: \"layers/").append(layer.folder()).append("\"\n");
            if (layer.none() != null) {
                y.append("    none: ").append(layer.none()).append("   # weight of no trait\n");
            }
        }
        y.append("output:\n");
        y.append("  format: png\n");
        y.append("  width: ").append(canvas).append('\n');
        y.append("  height: ").append(canvas).append('\n');
        y.append("  resample: lanczos3\n");
        y.append("  compression: default\n");
        y.append("metadata:\n");
        y.append("  name: \"Moth #{id}\"\n");
        y.append("  description: A moth from the Serigraph sample collection.\n");
        y.append("  image_base_uri: \"ipfs://<images-cid>/\"\n");
        y.append("qc:\n");
        y.append(
                "  # The moths differ in small traits (eyes, antennae) that a 64-bit perceptual hash\n");
        y.append(
                "  # cannot tell apart at 32x32, so pHash near duplicates are measured but not flagged;\n");
        y.append("  # exact duplicates still FAIL. See docs/spec.md, qc.\n");
        y.append("  near_duplicate: {tier: \"off\"}\n");
        return y.toString();
    }

    // ---- the art -----------------------------------------------------------------------------

    private List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        layers.add(
                new Layer(
                        "01 Background",
                        "Background",
                        null,
                        List.of(
                                background("Midnight#10.png", 0x0B1026FF, 0x26305AFF),
                                background("Dusk#8.png", 0x3B1F4EFF, 0xD9736BFF),
                                background("Mint#6.png", 0xCFF5E7FF, 0x7CC6A4FF),
                                background("Sand#5.png", 0xF4E4C1FF, 0xC9A66BFF),
                                background("Rose#3.png", 0xFADADDFF, 0xC0587EFF),
                                background("Gold Foil#0.5.png", 0xFFF3B0FF, 0xB8860BFF))));
        layers.add(
                new Layer(
                        "02 Wings",
                        "Wings",
                        null,
                        List.of(
                                wings("Ash#10.png", 0x8A8D91FF, 0x6B6E72FF),
                                wings("Luna Green#6.png", 0xA8E6A1FF, 0x6FCF97FF),
                                wings("Rust#6.png", 0xB7410EFF, 0x8B2F0BFF),
                                wings("Violet#4.png", 0x8E6CCFFF, 0x5B3E96FF),
                                wings("Ivory#3.png", 0xFFFDF0FF, 0xE8E2C8FF),
                                wings("Prism#1.25.png", 0x4FC3F7FF, 0xF06292FF))));
        layers.add(
                new Layer(
                        "03 Markings",
                        "Markings",
                        "4",
                        List.of(
                                new Trait("Eyespots#5.png", this::eyespots),
                                new Trait("Stripes#4.png", this::stripes),
                                new Trait("Dots#6.png", this::dots),
                                new Trait("Chevrons#2.png", this::chevrons),
                                new Trait("Comet#1.png", this::comet),
                                new Trait("Veins#3.png", this::veins))));
        layers.add(
                new Layer(
                        "04 Body",
                        "Body",
                        null,
                        List.of(
                                body("Charcoal#8.png", 0x2B2B2BFF, false),
                                body("Fuzzy Cream#5.png", 0xF3E5C0FF, false),
                                body("Amber#5.png", 0xE39B2DFF, false),
                                body("Emerald#3.png", 0x2E8B57FF, false),
                                body("Striped#3.png", 0xF2C14EFF, true),
                                body("Ghost#1.png", 0xE8F4FF90, false))));
        layers.add(
                new Layer(
                        "05 Antennae",
                        "Antennae",
                        null,
                        List.of(
                                antennae("Straight#6.png", 0, 90, false),
                                antennae("Curled#5.png", 1, 90, false),
                                antennae("Feathered#5.png", 0, 90, true),
                                antennae("Long#3.png", 0, 125, false),
                                antennae("Short#4.png", 0, 55, false),
                                antennae("Forked#1.5.png", 2, 90, false))));
        layers.add(
                new Layer(
                        "06 Eyes",
                        "Eyes",
                        null,
                        List.of(
                                eyes("Black#10.png", 0x111111FF),
                                eyes("Amber#4.png", 0xFFB000FF),
                                eyes("Ruby#3.png", 0xD0103AFF),
                                eyes("Sapphire#3.png", 0x1F4FD1FF),
                                eyes("Pearl#2.png", 0xF5F5F0FF),
                                eyes("Void#0.75.png", 0x000000FF))));
        layers.add(
                new Layer(
                        "07 Headwear",
                        "Headwear",
                        "12",
                        List.of(
                                new Trait("Halo#2.png", this::halo),
                                new Trait("Crown#1.png", this::crown),
                                new Trait("Sprout#3.png", this::sprout),
                                new Trait("Star#2.png", this::starHat),
                                new Trait("Bow#2.png", this::bow),
                                new Trait("Monocle#1.png", this::monocle))));
        return layers;
    }

    private double u(double units) {
        return units * k;
    }

    private Trait background(String file, int top, int bottom) {
        return new Trait(
                file,
                s -> {
                    s.fill(
                            rect(0, 0, canvas, canvas),
                            Sketch.verticalGradient(top, bottom, canvas));
                    // a faint moon, so the background is not flat
                    s.fill(circle(u(420), u(90), u(42)), 0xFFFFFF30);
                });
    }

    private Trait wings(String file, int upper, int lower) {
        return new Trait(
                file,
                s -> {
                    bothSides(s, ellipse(u(168), u(228), u(112), u(70), -0.55), upper);
                    bothSides(s, ellipse(u(192), u(338), u(76), u(54), 0.6), lower);
                    // a darker band along the upper wing
                    bothSides(s, ring(u(150), u(215), u(60), u(66)), 0x00000030);
                });
    }

    private void bothSides(Sketch s, Sketch.Shape shape, int rgba) {
        s.fill(shape, rgba);
        s.fill(mirror(shape, u(256)), rgba);
    }

    private void eyespots(Sketch s) {
        bothSides(s, circle(u(150), u(220), u(30)), 0xFFF1C1FF);
        bothSides(s, circle(u(150), u(220), u(19)), 0x3A2A1AFF);
        bothSides(s, circle(u(145), u(214), u(6)), 0xFFFFFFE0);
    }

    private void stripes(Sketch s) {
        for (int i = 0; i < 4; i++) {
            bothSides(s, line(u(90 + i * 25), u(180), u(150 + i * 25), u(300), u(9)), 0x1A1A1AB0);
        }
    }

    private void dots(Sketch s) {
        int[][] at = {{110, 210}, {150, 190}, {180, 240}, {130, 260}, {190, 330}, {165, 360}};
        for (int[] p : at) {
            bothSides(s, circle(u(p[0]), u(p[1]), u(11)), 0xFFFFFFD0);
        }
    }

    private void chevrons(Sketch s) {
        for (int i = 0; i < 3; i++) {
            double y = 190 + i * 40;
            bothSides(
                    s,
                    polygon(
                            u(90), u(y), u(150), u(y + 25), u(205), u(y), u(205), u(y + 14), u(150),
                            u(y + 39), u(90), u(y + 14)),
                    0x2D1B4EC0);
        }
    }

    private void comet(Sketch s) {
        bothSides(s, line(u(90), u(170), u(170), u(250), u(10)), 0xFFFFFF70);
        bothSides(s, star(u(175), u(255), u(20), u(8), 5, 0), 0xFFF59DFF);
    }

    private void veins(Sketch s) {
        for (int i = 0; i < 5; i++) {
            double a = -0.9 + i * 0.35;
            bothSides(
                    s,
                    line(
                            u(235),
                            u(250),
                            u(235 - 120 * Math.cos(a)),
                            u(250 + 100 * Math.sin(a)),
                            u(3)),
                    0x00000070);
        }
    }

    private Trait body(String file, int colour, boolean striped) {
        return new Trait(
                file,
                s -> {
                    s.fill(ellipse(u(256), u(290), u(26), u(92), 0), colour);
                    s.fill(circle(u(256), u(180), u(31)), colour);
                    if (striped) {
                        for (int i = 0; i < 5; i++) {
                            s.fill(
                                    rect(u(228), u(240 + i * 24), u(284), u(250 + i * 24)),
                                    0x222222E0);
                        }
                    }
                    s.fill(ellipse(u(248), u(170), u(10), u(6), -0.4), 0xFFFFFF40);
                });
    }

    private Trait antennae(String file, int style, int length, boolean feathered) {
        return new Trait(
                file,
                s -> {
                    for (int side = -1; side <= 1; side += 2) {
                        double bx = 256 + side * 10;
                        double tx = 256 + side * (length * 0.55);
                        double ty = 152 - length;
                        s.fill(line(u(bx), u(152), u(tx), u(ty), u(4)), 0x1B1B1BFF);
                        if (style == 1) {
                            s.fill(ring(u(tx + side * 9), u(ty), u(6), u(10)), 0x1B1B1BFF);
                        } else if (style == 2) {
                            s.fill(
                                    line(u(tx), u(ty), u(tx + side * 22), u(ty - 12), u(4)),
                                    0x1B1B1BFF);
                            s.fill(
                                    line(u(tx), u(ty), u(tx - side * 4), u(ty - 24), u(4)),
                                    0x1B1B1BFF);
                        } else {
                            s.fill(circle(u(tx), u(ty), u(6)), 0x1B1B1BFF);
                        }
                        if (feathered) {
                            for (int i = 1; i < 6; i++) {
                                double f = i / 6.0;
                                double x = bx + (tx - bx) * f;
                                double y = 152 + (ty - 152) * f;
                                s.fill(
                                        line(u(x), u(y), u(x + side * 12), u(y + 6), u(2.5)),
                                        0x1B1B1BC0);
                                s.fill(
                                        line(u(x), u(y), u(x - side * 8), u(y - 9), u(2.5)),
                                        0x1B1B1BC0);
                            }
                        }
                    }
                });
    }

    private Trait eyes(String file, int colour) {
        return new Trait(
                file,
                s -> {
                    for (int side = -1; side <= 1; side += 2) {
                        s.fill(circle(u(256 + side * 13), u(176), u(9)), 0xFFFFFFFF);
                        s.fill(circle(u(256 + side * 13), u(177), u(6)), colour);
                        s.fill(circle(u(254 + side * 13), u(174), u(2)), 0xFFFFFFD0);
                    }
                });
    }

    private void halo(Sketch s) {
        s.fill(ellipse(u(256), u(122), u(42), u(11), 0), 0xFFE066E0);
        s.fill(ellipse(u(256), u(122), u(32), u(6), 0), 0x00000000);
        s.fill(Sketch.ring(u(256), u(122), u(30), u(34)), 0xFFF3A0FF);
    }

    private void crown(Sketch s) {
        s.fill(
                polygon(
                        u(222), u(152), u(222), u(112), u(239), u(132), u(256), u(104), u(273),
                        u(132), u(290), u(112), u(290), u(152)),
                0xF2C230FF);
        s.fill(circle(u(256), u(136), u(5)), 0xD0103AFF);
    }

    private void sprout(Sketch s) {
        s.fill(line(u(256), u(150), u(256), u(110), u(4)), 0x3C8D2FFF);
        s.fill(ellipse(u(240), u(108), u(16), u(7), 0.5), 0x5CC04AFF);
        s.fill(ellipse(u(272), u(104), u(16), u(7), -0.5), 0x5CC04AFF);
    }

    private void starHat(Sketch s) {
        s.fill(star(u(256), u(118), u(28), u(12), 5, 0), 0xFFD84DFF);
    }

    private void bow(Sketch s) {
        s.fill(polygon(u(256), u(140), u(226), u(122), u(226), u(158)), 0xE0457BFF);
        s.fill(polygon(u(256), u(140), u(286), u(122), u(286), u(158)), 0xE0457BFF);
        s.fill(circle(u(256), u(140), u(7)), 0xB82E5EFF);
    }

    private void monocle(Sketch s) {
        s.fill(ring(u(269), u(177), u(12), u(15)), 0xC9A227FF);
        s.fill(circle(u(269), u(177), u(12)), 0xCFE8FF40);
        s.fill(line(u(283), u(182), u(292), u(230), u(2)), 0xC9A227FF);
    }
}
