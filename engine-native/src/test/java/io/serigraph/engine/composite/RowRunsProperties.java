package io.serigraph.engine.composite;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Row runs describe each row exactly, and compositing run by run (opaque runs copied, transparent
 * runs skipped, layers under an opaque normal run never read, uniform pieces blended once) gives
 * exactly the bytes of the full strip-wise fold: over layer art made of runs (shapes, edges, holes,
 * rows repeated from the row above), every blend mode, both alpha modes, opacities 0, 255 and
 * between, any background, and rows longer than the compositor's strip.
 */
class RowRunsProperties {

    /**
     * Layer art as runs: each row is either the row above again or a fresh sequence of runs of
     * transparent, opaque and partial pixels of random lengths; opaque runs are one colour or
     * noise.
     */
    static RgbaImage runArt(Random random, int width, int height, AlphaMode mode) {
        byte[] p = new byte[width * height * 4];
        int rowBytes = 4 * width;
        int maxRun = Math.max(1, width / (1 + random.nextInt(6)));
        for (int y = 0; y < height; y++) {
            if (y > 0 && random.nextInt(3) == 0) {
                System.arraycopy(p, (y - 1) * rowBytes, p, y * rowBytes, rowBytes);
                continue;
            }
            for (int x = 0; x < width; ) {
                int kind = random.nextInt(10);
                int len = Math.min(width - x, 1 + random.nextInt(maxRun));
                int flat = random.nextInt();
                boolean noise = random.nextBoolean();
                for (int end = x + len; x < end; x++) {
                    int i = 4 * (y * width + x);
                    int a = kind < 4 ? 0 : kind < 8 ? 255 : 1 + random.nextInt(254);
                    int c = noise ? random.nextInt() : flat;
                    int bound = mode == AlphaMode.STRAIGHT ? 256 : a + 1;
                    for (int ch = 0; ch < 3; ch++) {
                        int v = (c >>> (8 * ch)) & 0xFF;
                        p[i + ch] = (byte) (bound == 256 ? v : v % bound);
                    }
                    p[i + 3] = (byte) a;
                }
            }
        }
        return new RgbaImage(width, height, p, mode);
    }

    static List<LayerOp> runStack(Random random, int width, int height, int count) {
        return stack(random, count, mode -> runArt(random, width, height, mode));
    }

    /**
     * {@code count} layers of {@code art} in either alpha form, blending normally two times in
     * three (any mode otherwise), at opacity 255 mostly, sometimes 0 or between.
     */
    static List<LayerOp> stack(Random random, int count, Function<AlphaMode, RgbaImage> art) {
        List<LayerOp> stack = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BlendMode mode =
                    random.nextInt(3) > 0
                            ? BlendMode.NORMAL
                            : BlendMode.values()[random.nextInt(BlendMode.values().length)];
            int pick = random.nextInt(10);
            int opacity = pick < 6 ? 255 : pick == 6 ? 0 : random.nextInt(256);
            AlphaMode alphaMode = AlphaMode.values()[random.nextInt(2)];
            stack.add(new LayerOp(art.apply(alphaMode), mode, opacity));
        }
        return stack;
    }

    @Property(tries = 300)
    void runsCoverEachRowWithTheKindOfEveryPixel(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 90) int width,
            @ForAll @IntRange(min = 1, max = 20) int height) {
        Random random = new Random(seed);
        RgbaImage image = runArt(random, width, height, AlphaMode.values()[random.nextInt(2)]);
        RowRuns runs = RowRuns.of(image);
        byte[] p = image.pixels();
        for (int y = 0; y < height; y++) {
            int x = 0;
            int previous = -1; // kind, plus 4 when uniform
            for (int r = runs.rowStart(y); r < runs.rowStart(y) + runs.runCount(y); r++) {
                int kind = runs.kind(r);
                boolean uniform = runs.uniform(r);
                int start = x;
                assertThat(runs.end(r)).as("row %d run %d", y, r).isGreaterThan(x);
                for (; x < runs.end(r); x++) {
                    int i = 4 * (y * width + x);
                    int a = p[i + 3] & 0xFF;
                    if (uniform) {
                        if (kind != RowRuns.TRANSPARENT) {
                            assertThat(runs.pixel(r))
                                    .as("pixel (%d, %d): the uniform run's pixel", x, y)
                                    .isEqualTo(pixelAt(p, i));
                        }
                    } else {
                        int j = 4 * (y * width + x + runs.values()[r]);
                        assertThat(pixelAt(runs.source(), j))
                                .as("pixel (%d, %d) in the mixed runs' source", x, y)
                                .isEqualTo(pixelAt(p, i));
                    }
                    int expected =
                            a == 0
                                    ? RowRuns.TRANSPARENT
                                    : a == 255 ? RowRuns.OPAQUE : RowRuns.PARTIAL;
                    assertThat(kind).as("pixel (%d, %d), alpha %d", x, y, a).isEqualTo(expected);
                    if (uniform && kind != RowRuns.TRANSPARENT) {
                        int first = 4 * (y * width + start);
                        assertThat(Arrays.copyOfRange(p, i, i + 4))
                                .as("pixel (%d, %d) of a uniform run from %d", x, y, start)
                                .isEqualTo(Arrays.copyOfRange(p, first, first + 4));
                    }
                }
                if (kind == RowRuns.TRANSPARENT) {
                    assertThat(uniform).as("a transparent run is uniform").isTrue();
                    assertThat(previous).as("row %d: two transparent runs", y).isNotEqualTo(4);
                } else if (uniform) {
                    assertThat(x - start).isGreaterThanOrEqualTo(RowRuns.MIN_UNIFORM);
                } else {
                    assertThat(previous)
                            .as("row %d: two mixed runs of a kind", y)
                            .isNotEqualTo(kind);
                }
                previous = kind + (uniform ? 4 : 0);
            }
            assertThat(x).as("row %d ends at the width", y).isEqualTo(width);
        }
    }

    private static int pixelAt(byte[] p, int i) {
        return (p[i] & 0xFF) | (p[i + 1] & 0xFF) << 8 | (p[i + 2] & 0xFF) << 16 | p[i + 3] << 24;
    }

    /**
     * Flat trait art: rows of one colour inside a shape (a different colour per row, as a shaded
     * shape has), two partial edge pixels each side, transparent around; the shape translucent
     * ({@code alpha < 255}) or opaque. Its few mixed pixels are what a compositor reads.
     */
    static RgbaImage edgeArt(Random random, int width, int height, AlphaMode mode) {
        byte[] p = new byte[width * height * 4];
        int alpha = random.nextBoolean() ? 255 : 1 + random.nextInt(254);
        int x0 = random.nextInt(Math.max(1, width / 3));
        int x1 = width - random.nextInt(Math.max(1, width / 3));
        for (int y = random.nextInt(Math.max(1, height / 4)); y < height; y++) {
            int rgb = random.nextInt();
            for (int x = x0; x < x1; x++) {
                int i = 4 * (y * width + x);
                boolean edge = x < x0 + 2 || x >= x1 - 2;
                int a = edge ? 1 + random.nextInt(alpha == 1 ? 1 : alpha - 1) : alpha;
                int bound = mode == AlphaMode.STRAIGHT ? 256 : a + 1;
                for (int ch = 0; ch < 3; ch++) {
                    p[i + ch] = (byte) (((rgb >>> (8 * ch)) & 0xFF) % bound);
                }
                p[i + 3] = (byte) a;
            }
        }
        return new RgbaImage(width, height, p, mode);
    }

    @Example
    void sparseMixedPixelsArePackedApartAndDenseOnesReadInPlace() {
        Random random = new Random(3);
        RgbaImage flat = edgeArt(random, 200, 30, AlphaMode.STRAIGHT);
        RowRuns runs = RowRuns.of(flat);
        int mixed = 0;
        for (int y = 0; y < 30; y++) {
            for (int r = runs.rowStart(y), x = 0; r < runs.rowStart(y) + runs.runCount(y); r++) {
                mixed += runs.uniform(r) ? 0 : runs.end(r) - x;
                x = runs.end(r);
            }
        }
        assertThat(mixed).isPositive();
        assertThat(runs.source()).isNotSameAs(flat.pixels()).hasSize(4 * mixed);

        byte[] noise = new byte[200 * 30 * 4];
        random.nextBytes(noise);
        RgbaImage dense = RgbaImage.straight(200, 30, noise);
        assertThat(RowRuns.of(dense).source()).isSameAs(dense.pixels());
    }

    /** Stacks of flat edge art, whose mixed pixels are packed apart, over any background. */
    @Property(tries = 200)
    void compositingPackedEdgeArtGivesTheFullFoldsBytes(
            @ForAll long seed,
            @ForAll @IntRange(min = 8, max = 90) int width,
            @ForAll @IntRange(min = 1, max = 20) int height,
            @ForAll @IntRange(min = 1, max = 6) int layers) {
        Random random = new Random(seed);
        List<LayerOp> stack = stack(random, layers, mode -> edgeArt(random, width, height, mode));
        assertRunWiseEqualsFold(random, stack, width, height);
    }

    @Example
    void aLongRunOfOnePixelIsUniformAndNoiseIsNot() {
        byte[] p = new byte[24 * 4];
        for (int x = 0; x < 24; x++) {
            int i = 4 * x;
            p[i] = (byte) (x < 12 ? 9 : x); // 12 identical pixels, then every pixel different
            p[i + 3] = (byte) 200;
        }
        RowRuns runs = RowRuns.of(new RgbaImage(24, 1, p));
        assertThat(runs.runCount(0)).isEqualTo(2);
        assertThat(runs.uniform(0)).isTrue();
        assertThat(runs.end(0)).isEqualTo(12);
        assertThat(runs.uniform(1)).isFalse();
        assertThat(runs.kind(1)).isEqualTo(RowRuns.PARTIAL);
    }

    @Property(tries = 400)
    void compositingRunByRunGivesTheFullFoldsBytes(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 70) int width,
            @ForAll @IntRange(min = 1, max = 24) int height,
            @ForAll @IntRange(min = 0, max = 7) int layers) {
        Random random = new Random(seed);
        assertRunWiseEqualsFold(random, width, height, layers);
    }

    /** Rows longer than {@link JavaCompositor#STRIP}: a blended piece is cut into strips. */
    @Property(tries = 25)
    void rowsLongerThanAStripGiveTheFullFoldsBytes(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int layers) {
        Random random = new Random(seed);
        int width = JavaCompositor.STRIP + 1 + random.nextInt(JavaCompositor.STRIP + 200);
        assertRunWiseEqualsFold(random, width, 1 + random.nextInt(4), layers);
    }

    @Example
    void anOpaqueLayerHidesWhatIsUnderItAndIsCopiedAsItIs() {
        Random random = new Random(7);
        RgbaImage under = runArt(random, 9, 3, AlphaMode.STRAIGHT);
        byte[] top = new byte[9 * 3 * 4];
        random.nextBytes(top);
        for (int i = 3; i < top.length; i += 4) {
            top[i] = (byte) 255;
        }
        List<LayerOp> stack =
                List.of(
                        new LayerOp(under, BlendMode.MULTIPLY, 90),
                        LayerOp.of(RgbaImage.straight(9, 3, top), BlendMode.NORMAL));
        RgbaImage out = compositeRunWise(stack, 0x10203040, 9, 3);
        assertThat(out.pixels()).isEqualTo(top);
    }

    private static void assertRunWiseEqualsFold(Random random, int width, int height, int count) {
        assertRunWiseEqualsFold(random, runStack(random, width, height, count), width, height);
    }

    /** {@code stack} composited run by run over a random background equals the full fold. */
    private static void assertRunWiseEqualsFold(
            Random random, List<LayerOp> stack, int width, int height) {
        int pick = random.nextInt(3);
        int background =
                pick == 0
                        ? Compositor.TRANSPARENT
                        : pick == 1 ? random.nextInt() | 0xFF : random.nextInt();
        RgbaImage expected = new RgbaImage(width, height);
        new JavaCompositor().composite(stack, background, expected);
        RgbaImage actual = compositeRunWise(stack, background, width, height);
        assertThat(actual.pixels()).isEqualTo(expected.pixels());
    }

    /** Through the batch compositor, onto a canvas holding garbage from an earlier token. */
    private static RgbaImage compositeRunWise(
            List<LayerOp> stack, int background, int width, int height) {
        try (JavaBatchCompositor compositor = new JavaBatchCompositor(width, height)) {
            CompositeBatch batch = new CompositeBatch(1, 1).token(background);
            for (LayerOp op : stack) {
                batch.layer(compositor.upload(op.image()), op.mode(), op.opacity());
            }
            byte[] garbage = new byte[width * height * 4];
            new Random(width * 31L + height).nextBytes(garbage);
            RgbaImage out = new RgbaImage(width, height, garbage);
            compositor.composite(batch, new RgbaImage[] {out});
            return out;
        }
    }
}
