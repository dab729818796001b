package io.serigraph.engine.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The blend modes against an independent double-precision reference written from the W3C
 * Compositing and Blending Level 1 straight-alpha formulas.
 */
class BlendModeProperties {

    /** A valid premultiplied pixel, packed 0xRRGGBBAA. */
    @Provide
    static Arbitrary<Integer> premultiplied() {
        Arbitrary<Integer> alpha =
                Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.just(0)),
                        Tuple.of(2, Arbitraries.just(255)),
                        Tuple.of(6, Arbitraries.integers().between(0, 255)));
        return alpha.flatMap(
                a -> {
                    Arbitrary<Integer> c = Arbitraries.integers().between(0, a);
                    return Combinators.combine(c, c, c)
                            .as((r, g, b) -> r << 24 | g << 16 | b << 8 | a);
                });
    }

    @Property(tries = 3000)
    void outputIsValidPremultiplied(
            @ForAll BlendMode mode,
            @ForAll("premultiplied") int src,
            @ForAll("premultiplied") int dst,
            @ForAll @IntRange(min = 0, max = 255) int opacity) {
        int out = mode.blend(src, dst, opacity);
        int a = out & 0xFF;
        assertThat(out >>> 24).isLessThanOrEqualTo(a);
        assertThat((out >>> 16) & 0xFF).isLessThanOrEqualTo(a);
        assertThat((out >>> 8) & 0xFF).isLessThanOrEqualTo(a);
    }

    @Property(tries = 5000)
    void withinOneOfTheW3cReference(
            @ForAll BlendMode mode,
            @ForAll("premultiplied") int src,
            @ForAll("premultiplied") int dst,
            @ForAll @IntRange(min = 0, max = 255) int opacity) {
        int out = mode.blend(src, dst, opacity);
        double[] ref = W3cReference.composite(mode, src, dst, opacity);
        for (int ch = 0; ch < 4; ch++) {
            int actual = (out >>> (24 - 8 * ch)) & 0xFF;
            long expected = Math.round(ref[ch] * 255);
            assertThat((long) actual)
                    .as(
                            "%s channel %d of src %08x over dst %08x at opacity %d (reference %.4f)",
                            mode, ch, src, dst, opacity, ref[ch] * 255)
                    .isBetween(expected - 1, expected + 1);
        }
    }

    @Property(tries = 2000)
    void transparentSourceLeavesBackdropExactly(
            @ForAll BlendMode mode,
            @ForAll("premultiplied") int dst,
            @ForAll @IntRange(min = 0, max = 255) int opacity) {
        assertThat(mode.blend(0, dst, opacity)).isEqualTo(dst);
    }

    @Property(tries = 2000)
    void zeroOpacityLeavesBackdropExactly(
            @ForAll BlendMode mode,
            @ForAll("premultiplied") int src,
            @ForAll("premultiplied") int dst) {
        assertThat(mode.blend(src, dst, 0)).isEqualTo(dst);
    }

    @Property(tries = 2000)
    void opaqueNormalSourceReplacesBackdropExactly(
            @ForAll @IntRange(min = 0, max = 0xFFFFFF) int rgb, @ForAll("premultiplied") int dst) {
        int src = rgb << 8 | 0xFF;
        assertThat(BlendMode.NORMAL.blend(src, dst, 255)).isEqualTo(src);
    }

    @Property(tries = 2000)
    void anythingOverTransparentAtFullOpacityIsTheSource(
            @ForAll BlendMode mode, @ForAll("premultiplied") int src) {
        // With ab = 0 the W3C formulas reduce to the source for every mode.
        assertThat(mode.blend(src, 0, 255)).isEqualTo(src);
    }

    @Example
    void knownValues() {
        // 50% red over opaque blue: premultiplied (128, 0, 0, 128).
        assertThat(BlendMode.NORMAL.blend(0x80000080, 0x0000FFFF, 255)).isEqualTo(0x80007FFF);
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
    }
}
