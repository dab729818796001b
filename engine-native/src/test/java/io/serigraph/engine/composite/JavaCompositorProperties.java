package io.serigraph.engine.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.image.RgbaImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class JavaCompositorProperties {

    /** A random valid premultiplied image; alpha 0 and 255 are common, as in real layer art. */
    static RgbaImage randomImage(Random random, int width, int height) {
        byte[] p = new byte[width * height * 4];
        for (int i = 0; i < p.length; i += 4) {
            int kind = random.nextInt(4);
            int a = kind == 0 ? 0 : kind == 1 ? 255 : random.nextInt(256);
            p[i] = (byte) random.nextInt(a + 1);
            p[i + 1] = (byte) random.nextInt(a + 1);
            p[i + 2] = (byte) random.nextInt(a + 1);
            p[i + 3] = (byte) a;
        }
        return new RgbaImage(width, height, p);
    }

    /** The straight background premultiplied by rounding the exact product, as a test reference. */
    static int premultipliedBackground(int rgba) {
        int a = rgba & 0xFF;
        int r = (int) Math.round((rgba >>> 24) * a / 255.0);
        int g = (int) Math.round(((rgba >>> 16) & 0xFF) * a / 255.0);
        int b = (int) Math.round(((rgba >>> 8) & 0xFF) * a / 255.0);
        return r << 24 | g << 16 | b << 8 | a;
    }

    @Property(tries = 300)
    void compositeIsThePerPixelBlendFoldedOverTheStack(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 9) int width,
            @ForAll @IntRange(min = 1, max = 9) int height,
            @ForAll @IntRange(min = 0, max = 6) int layerCount) {
        Random random = new Random(seed);
        int background = random.nextInt(3) == 0 ? Compositor.TRANSPARENT : random.nextInt();
        List<LayerOp> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            BlendMode mode = BlendMode.values()[random.nextInt(BlendMode.values().length)];
            int opacity = random.nextBoolean() ? 255 : random.nextInt(256);
            layers.add(new LayerOp(randomImage(random, width, height), mode, opacity));
        }
        RgbaImage out = randomImage(random, width, height);
        try (Compositor compositor = new JavaCompositor()) {
            compositor.composite(layers, background, out);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int expected = premultipliedBackground(background);
                for (LayerOp layer : layers) {
                    expected =
                            layer.mode().blend(layer.image().rgba(x, y), expected, layer.opacity());
                }
                assertThat(out.rgba(x, y)).as("pixel (%d, %d)", x, y).isEqualTo(expected);
            }
        }
    }

    @Property(tries = 100)
    void normalAtFullOpacityOverAnOpaqueBackgroundIsStraightSourceOver(
            @ForAll @IntRange(min = 0, max = 255) int r,
            @ForAll @IntRange(min = 0, max = 255) int g,
            @ForAll @IntRange(min = 0, max = 255) int b,
            @ForAll @IntRange(min = 0, max = 255) int a,
            @ForAll @IntRange(min = 0, max = 0xFFFFFF) int backgroundRgb) {
        int[] straight = {r, g, b};
        byte[] src = new byte[4];
        for (int ch = 0; ch < 3; ch++) {
            src[ch] = (byte) Math.round(straight[ch] * a / 255.0);
        }
        src[3] = (byte) a;
        RgbaImage out = new RgbaImage(1, 1);
        new JavaCompositor()
                .composite(
                        List.of(LayerOp.of(new RgbaImage(1, 1, src), BlendMode.NORMAL)),
                        backgroundRgb << 8 | 0xFF,
                        out);
        byte[] o = out.pixels();
        double alpha = a / 255.0;
        for (int ch = 0; ch < 3; ch++) {
            int bg = (backgroundRgb >>> (16 - 8 * ch)) & 0xFF;
            long expected = Math.round(straight[ch] * alpha + bg * (1 - alpha));
            assertThat((long) (o[ch] & 0xFF)).isBetween(expected - 1, expected + 1);
        }
        assertThat(o[3] & 0xFF).isEqualTo(255);
    }

    @Example
    void noLayersGiveThePremultipliedBackground() {
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
        RgbaImage out = new RgbaImage(4, 4);
        List<LayerOp> layers = new ArrayList<>();
        for (BlendMode mode : BlendMode.values()) {
            layers.add(new LayerOp(clear, mode, 200));
            layers.add(LayerOp.of(clear, mode));
        }
        new JavaCompositor().composite(layers, 0x336699FF, out);
        for (int i = 0; i < 16; i++) {
            assertThat(out.rgba(i % 4, i / 4)).isEqualTo(0x336699FF);
        }
    }

    @Example
    void anOpaqueNormalLayerReplacesEverythingBelow() {
        Random random = new Random(7);
        RgbaImage top = randomImage(random, 5, 5);
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
        assertThat(out.pixels()).isEqualTo(top.pixels());
    }

    @Example
    void repeatedCallsGiveTheSameBytes() {
        Random random = new Random(42);
        List<LayerOp> layers = new ArrayList<>();
        for (BlendMode mode : BlendMode.values()) {
            layers.add(new LayerOp(randomImage(random, 32, 16), mode, 180));
        }
        RgbaImage first = new RgbaImage(32, 16);
        RgbaImage second = randomImage(random, 32, 16);
        JavaCompositor compositor = new JavaCompositor();
        compositor.composite(layers, 0x10203040, first);
        compositor.composite(layers, 0x10203040, second);
        assertThat(second.pixels()).isEqualTo(first.pixels());
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
    void theOutputCannotBeALayer() {
        RgbaImage out = new RgbaImage(2, 2);
        assertThatThrownBy(
                        () ->
                                new JavaCompositor()
                                        .composite(List.of(LayerOp.of(out, BlendMode.ADD)), 0, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shares its pixels");
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
