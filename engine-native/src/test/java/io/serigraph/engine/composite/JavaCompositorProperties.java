package io.serigraph.engine.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class JavaCompositorProperties {

    /** A random image in {@code mode}; alpha 0 and 255 are common, as in real layer art. */
    static RgbaImage randomImage(Random random, int width, int height, AlphaMode mode) {
        byte[] p = new byte[width * height * 4];
        for (int i = 0; i < p.length; i += 4) {
            int px = BlendModeProperties.sourcePixel(random, mode);
            p[i] = (byte) (px >>> 24);
            p[i + 1] = (byte) (px >>> 16);
            p[i + 2] = (byte) (px >>> 8);
            p[i + 3] = (byte) px;
        }
        return new RgbaImage(width, height, p, mode);
    }

    /** A random valid premultiplied image. */
    static RgbaImage randomImage(Random random, int width, int height) {
        return randomImage(random, width, height, AlphaMode.PREMULTIPLIED);
    }

    static List<LayerOp> randomStack(Random random, int width, int height, int count) {
        List<LayerOp> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BlendMode mode = BlendMode.values()[random.nextInt(BlendMode.values().length)];
            AlphaMode alphaMode = AlphaMode.values()[random.nextInt(2)];
            int opacity = random.nextBoolean() ? 255 : random.nextInt(256);
            layers.add(new LayerOp(randomImage(random, width, height, alphaMode), mode, opacity));
        }
        return layers;
    }

    /** The per-pixel definition: background, one BlendMode step per layer, one rounding. */
    static int foldOnePixel(List<LayerOp> layers, int background, int x, int y) {
        int[] acc = new int[4];
        PixelMath.background(background, acc, 0);
        for (LayerOp layer : layers) {
            RgbaImage image = layer.image();
            layer.mode().blend(image.rgba(x, y), image.alphaMode(), layer.opacity(), acc, 0);
        }
        return PixelMath.round8(acc, 0);
    }

    @Property(tries = 300)
    void compositeIsThePerPixelBlendFoldedOverTheStack(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 48) int width,
            @ForAll @IntRange(min = 1, max = 48) int height,
            @ForAll @IntRange(min = 0, max = 6) int layerCount) {
        Random random = new Random(seed);
        int background = random.nextInt(3) == 0 ? Compositor.TRANSPARENT : random.nextInt();
        List<LayerOp> layers = randomStack(random, width, height, layerCount);
        RgbaImage out = randomImage(random, width, height);
        try (Compositor compositor = new JavaCompositor()) {
            compositor.composite(layers, background, out);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                assertThat(out.rgba(x, y))
                        .as("pixel (%d, %d)", x, y)
                        .isEqualTo(foldOnePixel(layers, background, x, y));
            }
        }
    }

    @Property(tries = 300)
    void everyChannelIsWithinTheDocumentedBoundOfTheExactW3cStack(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int layerCount) {
        Random random = new Random(seed);
        boolean opaque = random.nextBoolean();
        int background = random.nextInt() | (opaque ? 0xFF : 0);
        List<LayerOp> layers = randomStack(random, 16, 16, layerCount);
        RgbaImage out = new RgbaImage(16, 16);
        new JavaCompositor().composite(layers, background, out);
        boolean opaqueBackdrop = (background & 0xFF) == 255;
        double e = 0;
        for (LayerOp layer : layers) {
            e =
                    W3cReference.nextBound(
                            e,
                            layer.mode(),
                            layer.image().alphaMode(),
                            layer.opacity(),
                            opaqueBackdrop);
        }
        double bound = 0.5 + e / 255 + 1e-9;
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                double[] ref = W3cReference.background(background);
                for (LayerOp layer : layers) {
                    RgbaImage image = layer.image();
                    ref =
                            W3cReference.over(
                                    layer.mode(),
                                    image.rgba(x, y),
                                    image.alphaMode(),
                                    layer.opacity(),
                                    ref);
                }
                int got = out.rgba(x, y);
                for (int ch = 0; ch < 4; ch++) {
                    assertThat(((got >>> (24 - 8 * ch)) & 0xFF) - ref[ch] * 255)
                            .as("pixel (%d, %d) channel %d, bound %.4f", x, y, ch, bound)
                            .isBetween(-bound, bound);
                }
            }
        }
    }

    /** The product's promise: straight layers over an opaque background, within 1/2 + n/510. */
    @Property(tries = 200)
    void straightNormalLayersOverAnOpaqueBackgroundAreWithinHalfAStepPlusNOver510(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int layerCount) {
        Random random = new Random(seed);
        int background = random.nextInt() | 0xFF;
        List<LayerOp> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            layers.add(
                    LayerOp.of(randomImage(random, 32, 32, AlphaMode.STRAIGHT), BlendMode.NORMAL));
        }
        RgbaImage out = new RgbaImage(32, 32);
        new JavaCompositor().composite(layers, background, out);
        double bound = 0.5 + layerCount / 510.0 + 1e-9;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                // Straight-alpha source-over in double precision, on straight colours.
                double a = 1;
                double[] c = new double[3];
                for (int ch = 0; ch < 3; ch++) {
                    c[ch] = (background >>> (24 - 8 * ch) & 0xFF) / 255.0;
                }
                for (LayerOp layer : layers) {
                    int p = layer.image().rgba(x, y);
                    double sa = (p & 0xFF) / 255.0;
                    double oa = sa + a * (1 - sa);
                    for (int ch = 0; ch < 3; ch++) {
                        double sc = (p >>> (24 - 8 * ch) & 0xFF) / 255.0;
                        c[ch] = (sc * sa + c[ch] * a * (1 - sa)) / oa;
                    }
                    a = oa;
                }
                int got = out.rgba(x, y);
                assertThat(got & 0xFF).isEqualTo(255);
                for (int ch = 0; ch < 3; ch++) {
                    assertThat((got >>> (24 - 8 * ch) & 0xFF) - c[ch] * 255)
                            .as("pixel (%d, %d) channel %d", x, y, ch)
                            .isBetween(-bound, bound);
                }
            }
        }
    }

    @Example
    void noLayersGiveTheBackgroundRoundedOnce() {
        RgbaImage out = new RgbaImage(3, 2);
        new JavaCompositor().composite(List.of(), 0xFF800080, out);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertThat(out.rgba(x, y)).isEqualTo(0x80400080);
            }
        }
        new JavaCompositor().composite(List.of(), 0x12345600, out);
        assertThat(out.pixels()).containsOnly(0);
    }

    @Example
    void transparentLayersLeaveTheBackgroundExactly() {
        RgbaImage clear = new RgbaImage(4, 4);
        byte[] colouredClear = new byte[4 * 4 * 4];
        new Random(3).nextBytes(colouredClear);
        for (int i = 3; i < colouredClear.length; i += 4) {
            colouredClear[i] = 0; // straight: colour under alpha 0 means nothing
        }
        RgbaImage straightClear = RgbaImage.straight(4, 4, colouredClear);
        RgbaImage out = new RgbaImage(4, 4);
        List<LayerOp> layers = new ArrayList<>();
        for (BlendMode mode : BlendMode.values()) {
            layers.add(new LayerOp(clear, mode, 200));
            layers.add(LayerOp.of(clear, mode));
            layers.add(new LayerOp(straightClear, mode, 77));
            layers.add(LayerOp.of(straightClear, mode));
        }
        new JavaCompositor().composite(layers, 0x336699FF, out);
        for (int i = 0; i < 16; i++) {
            assertThat(out.rgba(i % 4, i / 4)).isEqualTo(0x336699FF);
        }
    }

    @Example
    void anOpaqueNormalLayerReplacesEverythingBelow() {
        Random random = new Random(7);
        for (AlphaMode mode : AlphaMode.values()) {
            RgbaImage top = randomImage(random, 5, 5, mode);
            byte[] opaque = top.pixels();
            for (int i = 3; i < opaque.length; i += 4) {
                opaque[i] = (byte) 255;
            }
            RgbaImage out = new RgbaImage(5, 5);
            new JavaCompositor()
                    .composite(
                            List.of(
                                    LayerOp.of(randomImage(random, 5, 5), BlendMode.SCREEN),
                                    LayerOp.of(top, BlendMode.NORMAL)),
                            0xFFFFFFFF,
                            out);
            assertThat(out.pixels()).as("%s", mode).isEqualTo(top.pixels());
        }
    }

    @Example
    void stacksLongerThanAStripAndReusedCompositorsGiveTheSameBytes() {
        Random random = new Random(42);
        int width = 97;
        int height = 23; // 2231 pixels: three strips, the last one partial
        List<LayerOp> layers = new ArrayList<>();
        for (BlendMode mode : BlendMode.values()) {
            for (AlphaMode alphaMode : AlphaMode.values()) {
                layers.add(new LayerOp(randomImage(random, width, height, alphaMode), mode, 180));
                layers.add(LayerOp.of(randomImage(random, width, height, alphaMode), mode));
            }
        }
        RgbaImage first = new RgbaImage(width, height);
        RgbaImage second = randomImage(random, width, height);
        JavaCompositor compositor = new JavaCompositor();
        compositor.composite(layers, 0x10203040, first);
        compositor.composite(List.of(layers.get(3)), 0xFFFFFFFF, new RgbaImage(width, height));
        compositor.composite(layers, 0x10203040, second);
        assertThat(second.pixels()).isEqualTo(first.pixels());
        for (int i = 0; i < width * height; i += 7) {
            int x = i % width;
            int y = i / width;
            assertThat(first.rgba(x, y)).isEqualTo(foldOnePixel(layers, 0x10203040, x, y));
        }
    }

    @Example
    void aLayerOfAnotherSizeIsRejected() {
        RgbaImage out = new RgbaImage(4, 4);
        List<LayerOp> layers =
                List.of(
                        LayerOp.of(new RgbaImage(4, 4), BlendMode.NORMAL),
                        LayerOp.of(new RgbaImage(4, 5), BlendMode.MULTIPLY));
        assertThatThrownBy(() -> new JavaCompositor().composite(layers, 0, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 is 4x5")
                .hasMessageContaining("output is 4x4");
    }

    @Example
    void theOutputCannotBeALayerOrStraight() {
        RgbaImage out = new RgbaImage(2, 2);
        assertThatThrownBy(
                        () ->
                                new JavaCompositor()
                                        .composite(List.of(LayerOp.of(out, BlendMode.ADD)), 0, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shares its pixels");
        RgbaImage straight = RgbaImage.straight(2, 2, new byte[16]);
        assertThatThrownBy(() -> new JavaCompositor().composite(List.of(), 0, straight))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STRAIGHT");
    }

    @Example
    void layerOpacityMustBeAByte() {
        RgbaImage image = new RgbaImage(1, 1);
        assertThatThrownBy(() -> new LayerOp(image, BlendMode.NORMAL, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LayerOp(image, BlendMode.NORMAL, 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
    }
}
