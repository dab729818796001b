package io.serigraph.engine.composite;

import static io.serigraph.engine.composite.PixelMath.U;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.image.AlphaMode;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * One compositing step against an independent double-precision reference written from the W3C
 * Compositing and Blending Level 1 straight-alpha formulas, with the error bound of {@code
 * docs/pixel-math.md}.
 */
class BlendModeProperties {
    private static final double EPS = 1e-9;

    /** An alpha with 0 and 255 common, as in real layer art. */
    static int alpha(Random random) {
        int kind = random.nextInt(4);
        return kind == 0 ? 0 : kind == 1 ? 255 : random.nextInt(256);
    }

    /** A source pixel 0xRRGGBBAA in {@code mode}: straight colours are any bytes. */
    static int sourcePixel(Random random, AlphaMode mode) {
        int a = alpha(random);
        int bound = mode == AlphaMode.STRAIGHT ? 256 : a + 1;
        return random.nextInt(bound) << 24
                | random.nextInt(bound) << 16
                | random.nextInt(bound) << 8
                | a;
    }

    /** A valid premultiplied 8-bit pixel. */
    static int premultipliedPixel(Random random) {
        return sourcePixel(random, AlphaMode.PREMULTIPLIED);
    }

    /** A valid accumulator pixel: 0 <= colour <= alpha <= U, alpha 0 and U common. */
    static int[] accumulatorPixel(Random random) {
        int kind = random.nextInt(4);
        int a = kind == 0 ? 0 : kind == 1 ? U : random.nextInt(U + 1);
        return new int[] {random.nextInt(a + 1), random.nextInt(a + 1), random.nextInt(a + 1), a};
    }

    @Property(tries = 5000)
    void eightBitStepIsWithinTheBoundOfTheW3cReference(
            @ForAll BlendMode mode,
            @ForAll AlphaMode srcMode,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 255) int opacity) {
        Random random = new Random(seed);
        int src = sourcePixel(random, srcMode);
        int dst = premultipliedPixel(random);
        int out = mode.blend(src, srcMode, dst, opacity);
        double[] ref =
                W3cReference.over(mode, src, srcMode, opacity, W3cReference.premultiplied(dst));
        // The 8-bit backdrop is lifted exactly, so only this step's rounding and the final one
        // count.
        double bound = 0.5 + W3cReference.nextBound(0, mode, srcMode, opacity, false) / 255 + EPS;
        for (int ch = 0; ch < 4; ch++) {
            int actual = (out >>> (24 - 8 * ch)) & 0xFF;
            assertThat(actual - ref[ch] * 255)
                    .as(
                            "%s channel %d of %s %08x over %08x at opacity %d (reference %.4f)",
                            mode, ch, srcMode, src, dst, opacity, ref[ch] * 255)
                    .isBetween(-bound, bound);
        }
    }

    @Property(tries = 5000)
    void accumulatorStepIsWithinTheBoundOfTheW3cReference(
            @ForAll BlendMode mode,
            @ForAll AlphaMode srcMode,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 255) int opacity) {
        Random random = new Random(seed);
        int src = sourcePixel(random, srcMode);
        int[] acc = accumulatorPixel(random);
        double[] backdrop = new double[4];
        for (int ch = 0; ch < 4; ch++) {
            backdrop[ch] = acc[ch] / (double) U;
        }
        mode.blend(src, srcMode, opacity, acc, 0);
        double[] ref = W3cReference.over(mode, src, srcMode, opacity, backdrop);
        double bound = W3cReference.nextBound(0, mode, srcMode, opacity, false) + 1e-6;
        for (int ch = 0; ch < 4; ch++) {
            assertThat(acc[ch] - ref[ch] * U)
                    .as("%s channel %d of %s %08x at opacity %d", mode, ch, srcMode, src, opacity)
                    .isBetween(-bound, bound);
        }
    }

    @Property(tries = 5000)
    void resultIsAlwaysValid(
            @ForAll BlendMode mode,
            @ForAll AlphaMode srcMode,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 255) int opacity) {
        Random random = new Random(seed);
        int src = sourcePixel(random, srcMode);
        int[] acc = accumulatorPixel(random);
        mode.blend(src, srcMode, opacity, acc, 0);
        assertThat(acc[3]).isBetween(0, U);
        for (int ch = 0; ch < 3; ch++) {
            assertThat(acc[ch]).isBetween(0, acc[3]);
        }
        int out = mode.blend(src, srcMode, premultipliedPixel(random), opacity);
        int a = out & 0xFF;
        assertThat(out >>> 24).isLessThanOrEqualTo(a);
        assertThat((out >>> 16) & 0xFF).isLessThanOrEqualTo(a);
        assertThat((out >>> 8) & 0xFF).isLessThanOrEqualTo(a);
    }

    @Property(tries = 2000)
    void transparentSourceOrZeroOpacityLeavesTheAccumulatorExactly(
            @ForAll BlendMode mode,
            @ForAll AlphaMode srcMode,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 255) int opacity) {
        Random random = new Random(seed);
        int[] acc = accumulatorPixel(random);
        int[] before = acc.clone();
        // A straight pixel of alpha 0 may carry any colour: it must not matter.
        int clear = srcMode == AlphaMode.STRAIGHT ? random.nextInt() & 0xFFFFFF00 : 0;
        mode.blend(clear, srcMode, opacity, acc, 0);
        assertThat(acc).isEqualTo(before);
        mode.blend(sourcePixel(random, srcMode), srcMode, 0, acc, 0);
        assertThat(acc).isEqualTo(before);
    }

    @Property(tries = 2000)
    void opaqueNormalSourceAtFullOpacityReplacesTheAccumulatorExactly(
            @ForAll AlphaMode srcMode,
            @ForAll @IntRange(min = 0, max = 0xFFFFFF) int rgb,
            @ForAll long seed) {
        int[] acc = accumulatorPixel(new Random(seed));
        BlendMode.NORMAL.blend(rgb << 8 | 0xFF, srcMode, 255, acc, 0);
        assertThat(acc)
                .containsExactly(
                        255 * (rgb >>> 16), 255 * ((rgb >>> 8) & 0xFF), 255 * (rgb & 0xFF), U);
    }

    @Property(tries = 2000)
    void anythingOverTransparentAtFullOpacityIsTheExactSource(
            @ForAll BlendMode mode, @ForAll AlphaMode srcMode, @ForAll long seed) {
        int src = sourcePixel(new Random(seed), srcMode);
        int a = src & 0xFF;
        int[] acc = new int[4];
        mode.blend(src, srcMode, 255, acc, 0);
        // With ab = 0 the W3C formulas reduce to the source for every mode; at opacity 255 the
        // source terms are exact: c * a for straight, p * 255 for premultiplied.
        int scale = srcMode == AlphaMode.STRAIGHT ? a : 255;
        assertThat(acc)
                .containsExactly(
                        (src >>> 24) * scale,
                        ((src >>> 16) & 0xFF) * scale,
                        ((src >>> 8) & 0xFF) * scale,
                        a * 255);
    }

    @Property(tries = 2000)
    void anOpaqueBackdropStaysExactlyOpaque(
            @ForAll BlendMode mode,
            @ForAll AlphaMode srcMode,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 255) int opacity) {
        Random random = new Random(seed);
        int[] acc = {random.nextInt(U + 1), random.nextInt(U + 1), random.nextInt(U + 1), U};
        mode.blend(sourcePixel(random, srcMode), srcMode, opacity, acc, 0);
        assertThat(acc[3]).isEqualTo(U);
    }

    @Example
    void knownValues() {
        // 50% red over opaque blue, premultiplied (128, 0, 0, 128) or straight (255, 0, 0, 128).
        assertThat(BlendMode.NORMAL.blend(0x80000080, 0x0000FFFF, 255)).isEqualTo(0x80007FFF);
        assertThat(BlendMode.NORMAL.blend(0xFF000080, AlphaMode.STRAIGHT, 0x0000FFFF, 255))
                .isEqualTo(0x80007FFF);
        // Straight (128, 0, 0, 3) over opaque grey 100: red is exactly (128 * 3 + 100 * 252) / 255
        // = 100.33 -> 100. Premultiplied to 8 bits first, (2, 0, 0, 3), it would give 100.82 ->
        // 101.
        assertThat(BlendMode.NORMAL.blend(0x80000003, AlphaMode.STRAIGHT, 0x646464FF, 255))
                .isEqualTo(0x646363FF);
        assertThat(BlendMode.NORMAL.blend(0x02000003, 0x646464FF, 255)).isEqualTo(0x656363FF);
        // white multiply keeps the backdrop, black screen keeps the backdrop.
        assertThat(BlendMode.MULTIPLY.blend(0xFFFFFFFF, 0x336699FF, 255)).isEqualTo(0x336699FF);
        assertThat(BlendMode.SCREEN.blend(0x000000FF, 0x336699FF, 255)).isEqualTo(0x336699FF);
        // overlay keeps black and white backdrops as they are.
        assertThat(BlendMode.OVERLAY.blend(0x808080FF, 0x000000FF, 255)).isEqualTo(0x000000FF);
        assertThat(BlendMode.OVERLAY.blend(0x808080FF, 0xFFFFFFFF, 255)).isEqualTo(0xFFFFFFFF);
        // add: colours and alphas sum, clamped.
        assertThat(BlendMode.ADD.blend(0xC0C0C0FF, 0x80808080, 255)).isEqualTo(0xFFFFFFFF);
        assertThat(BlendMode.ADD.blend(0x40404040, 0x20202020, 255)).isEqualTo(0x60606060);
    }

    @Example
    void specNamesRoundTrip() {
        assertThat(BlendMode.fromSpecName("normal")).isEqualTo(BlendMode.NORMAL);
        assertThat(BlendMode.fromSpecName("multiply")).isEqualTo(BlendMode.MULTIPLY);
        assertThat(BlendMode.fromSpecName("screen")).isEqualTo(BlendMode.SCREEN);
        assertThat(BlendMode.fromSpecName("overlay")).isEqualTo(BlendMode.OVERLAY);
        assertThat(BlendMode.fromSpecName("add")).isEqualTo(BlendMode.ADD);
        assertThat(BlendMode.fromSpecName("Normal")).isNull();
        for (BlendMode m : BlendMode.values()) {
            assertThat(BlendMode.fromSpecName(m.specName())).isEqualTo(m);
        }
    }

    @Example
    void opacityOutOfRangeIsRejected() {
        assertThatThrownBy(() -> BlendMode.NORMAL.blend(0, 0, 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
        assertThatThrownBy(() -> BlendMode.ADD.blend(0, AlphaMode.STRAIGHT, -1, new int[4], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
