package io.serigraph.engine.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.CompositeBatch;
import io.serigraph.engine.composite.Compositor;
import io.serigraph.engine.composite.JavaBatchCompositor;
import io.serigraph.engine.composite.JavaCompositor;
import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.composite.RowSpansProperties;
import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.resample.ResampleFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The OpenCL compositor gives exactly the Java compositor's bytes (pixel-math version 2), through
 * the one-call API and the resident-layer batch API. Skipped, loudly, without an OpenCL device
 * ({@link OpenClTestRequirements}).
 */
@AddLifecycleHook(OpenClTestRequirements.class)
class OpenClCompositorProperties {
    private static OpenClDevice device;
    private static OpenClCompositor shared;

    @BeforeContainer
    static void openDevice() {
        device = OpenClDevices.cached().best();
        shared = OpenClCompositor.open(device, 8, 8);
    }

    @AfterContainer
    static void closeDevice() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    @Property(tries = 250)
    void randomStacksGiveTheJavaBytes(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 23) int width,
            @ForAll @IntRange(min = 1, max = 17) int height,
            @ForAll @IntRange(min = 0, max = 7) int layerCount) {
        Random random = new Random(seed);
        int background = TestImages.background(random);
        List<LayerOp> layers = TestImages.stack(random, width, height, layerCount);
        RgbaImage expected = TestImages.garbage(random, width, height);
        RgbaImage actual = TestImages.garbage(random, width, height);

        new JavaCompositor().composite(layers, background, expected);
        shared.composite(layers, background, actual);

        assertThat(actual.pixels()).isEqualTo(expected.pixels());
    }

    /**
     * Many pixels per try: a difference of one unit in the accumulator reaches the output byte only
     * near a rounding boundary (about one channel in 255), so small images alone would rarely show
     * it.
     */
    @Property(tries = 40)
    void largeRandomStacksGiveTheJavaBytes(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int layerCount) {
        Random random = new Random(seed);
        int background = TestImages.background(random);
        List<LayerOp> layers = TestImages.stack(random, 129, 97, layerCount);
        RgbaImage expected = new RgbaImage(129, 97);
        RgbaImage actual = new RgbaImage(129, 97);

        new JavaCompositor().composite(layers, background, expected);
        shared.composite(layers, background, actual);

        assertThat(actual.pixels()).isEqualTo(expected.pixels());
    }

    @Property(tries = 40)
    void aBatchOverResidentLayersGivesWhatEachTokenGivesAlone(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 19) int width,
            @ForAll @IntRange(min = 1, max = 13) int height,
            @ForAll @IntRange(min = 1, max = 12) int residentLayers,
            @ForAll @IntRange(min = 1, max = 24) int tokens) {
        Random random = new Random(seed);
        RgbaImage[] bank = new RgbaImage[residentLayers];
        for (int i = 0; i < residentLayers; i++) {
            bank[i] = TestImages.layer(random, width, height);
            if (random.nextBoolean()) {
                bank[i] = RowSpansProperties.sparse(random, bank[i]);
            }
        }
        CompositeBatch batch = new CompositeBatch(1, 1);
        List<List<LayerOp>> stacks = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            int background = TestImages.background(random);
            batch.token(background);
            List<LayerOp> stack = new ArrayList<>();
            for (int n = random.nextInt(7); n > 0; n--) {
                int handle = random.nextInt(residentLayers);
                LayerOp op =
                        new LayerOp(
                                bank[handle], TestImages.mode(random), TestImages.opacity(random));
                batch.layer(handle, op.mode(), op.opacity());
                stack.add(op);
            }
            stacks.add(stack);
        }
        RgbaImage[] openCl = new RgbaImage[tokens];
        RgbaImage[] java = new RgbaImage[tokens];
        for (int t = 0; t < tokens; t++) {
            openCl[t] = TestImages.garbage(random, width, height);
            java[t] = TestImages.garbage(random, width, height);
        }

        try (OpenClCompositor compositor = OpenClCompositor.open(device, width, height);
                JavaBatchCompositor javaBatch = new JavaBatchCompositor(width, height)) {
            for (RgbaImage layer : bank) {
                int handle = compositor.upload(layer);
                assertThat(javaBatch.upload(layer)).isEqualTo(handle);
            }
            compositor.composite(batch, openCl);
            javaBatch.composite(batch, java);
        }

        JavaCompositor alone = new JavaCompositor();
        for (int t = 0; t < tokens; t++) {
            RgbaImage expected = new RgbaImage(width, height);
            alone.composite(stacks.get(t), batch.background(t), expected);
            assertThat(openCl[t].pixels()).as("OpenCL token %d", t).isEqualTo(expected.pixels());
            assertThat(java[t].pixels()).as("Java batch token %d", t).isEqualTo(expected.pixels());
        }
    }

    @Example
    void batchesLargerThanOneLaunchAreCompositedInChunks() {
        Random random = new Random(7);
        int tokens = 2 * OpenClCompositor.MAX_CHUNK_TOKENS + 3;
        try (OpenClCompositor compositor = OpenClCompositor.open(device, 3, 2)) {
            RgbaImage[] layers = new RgbaImage[5];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = TestImages.layer(random, 3, 2);
                compositor.upload(layers[i]);
            }
            CompositeBatch batch = new CompositeBatch();
            RgbaImage[] outs = new RgbaImage[tokens];
            for (int t = 0; t < tokens; t++) {
                batch.token(TestImages.background(random));
                for (int n = t % 4; n > 0; n--) {
                    batch.layer(random.nextInt(layers.length), TestImages.mode(random), 200);
                }
                outs[t] = new RgbaImage(3, 2);
            }
            compositor.composite(batch, outs);
            JavaCompositor java = new JavaCompositor();
            for (int t = 0; t < tokens; t++) {
                List<LayerOp> stack = new ArrayList<>();
                for (int i = batch.firstLayer(t); i < batch.endLayer(t); i++) {
                    stack.add(new LayerOp(layers[batch.handle(i)], batch.mode(i), 200));
                }
                RgbaImage expected = new RgbaImage(3, 2);
                java.composite(stack, batch.background(t), expected);
                assertThat(outs[t].pixels()).as("token %d", t).isEqualTo(expected.pixels());
            }
        }
    }

    @Example
    void everyModeOverEveryEdgePixel() {
        // Every (source, backdrop) alpha pair from {0, 1, 127, 128, 254, 255} with colours at 0,
        // half and full, in both alpha modes and at opacities 0, 1, 128, 254, 255.
        int[] alphas = {0, 1, 127, 128, 254, 255};
        List<Integer> pixels = new ArrayList<>();
        for (int a : alphas) {
            for (int c : new int[] {0, a / 2, a}) {
                pixels.add(c << 24 | (a - c) << 16 | (a / 3) << 8 | a);
            }
        }
        int n = pixels.size();
        byte[] src = new byte[n * n * 4];
        byte[] dst = new byte[n * n * 4];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                put(src, i * n + j, pixels.get(i));
                put(dst, i * n + j, pixels.get(j));
            }
        }
        for (AlphaMode alphaMode : AlphaMode.values()) {
            RgbaImage source = new RgbaImage(n, n, src, alphaMode);
            RgbaImage backdrop = new RgbaImage(n, n, dst);
            for (BlendMode mode : BlendMode.values()) {
                for (int opacity : new int[] {0, 1, 128, 254, 255}) {
                    List<LayerOp> layers =
                            List.of(
                                    new LayerOp(backdrop, BlendMode.NORMAL, 255),
                                    new LayerOp(source, mode, opacity));
                    RgbaImage expected = new RgbaImage(n, n);
                    RgbaImage actual = new RgbaImage(n, n);
                    new JavaCompositor().composite(layers, Compositor.TRANSPARENT, expected);
                    shared.composite(layers, Compositor.TRANSPARENT, actual);
                    assertThat(actual.pixels())
                            .as("%s %s at opacity %d", alphaMode, mode, opacity)
                            .isEqualTo(expected.pixels());
                }
            }
        }
    }

    /**
     * Every 8-bit (colour, alpha) source sample at every opacity in normal, and at 16 opacities in
     * every other mode, in both alpha modes, over a varied translucent backdrop. A slip of one unit
     * in a source term shows in an output byte only about once in 255 samples where it occurs at
     * all, so random samples would rarely meet it; this sweep meets each one hundreds of times.
     */
    @Example
    void everySourceSampleAtManyOpacities() {
        int n = 256;
        byte[] src = new byte[n * n * 4];
        byte[] dst = new byte[n * n * 4];
        Random random = new Random(17);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int i = 4 * (y * n + x);
                src[i] = (byte) x;
                src[i + 1] = (byte) (255 - x);
                src[i + 2] = (byte) (x * 7 + y);
                src[i + 3] = (byte) y;
                int a = TestImages.alpha(random);
                dst[i] = (byte) random.nextInt(a + 1);
                dst[i + 1] = (byte) random.nextInt(a + 1);
                dst[i + 2] = (byte) random.nextInt(a + 1);
                dst[i + 3] = (byte) a;
            }
        }
        RgbaImage backdrop = new RgbaImage(n, n, dst);
        RgbaImage expected = new RgbaImage(n, n);
        RgbaImage actual = new RgbaImage(n, n);
        JavaCompositor java = new JavaCompositor();
        for (AlphaMode alphaMode : AlphaMode.values()) {
            byte[] pixels = src;
            if (alphaMode == AlphaMode.PREMULTIPLIED) {
                pixels = src.clone();
                for (int i = 0; i < pixels.length; i += 4) {
                    int a = pixels[i + 3] & 0xFF;
                    for (int c = 0; c < 3; c++) {
                        pixels[i + c] = (byte) Math.min(pixels[i + c] & 0xFF, a);
                    }
                }
            }
            RgbaImage source = new RgbaImage(n, n, pixels, alphaMode);
            for (BlendMode mode : BlendMode.values()) {
                int step = mode == BlendMode.NORMAL && alphaMode == AlphaMode.STRAIGHT ? 1 : 17;
                for (int opacity = 0; opacity < 256; opacity += step) {
                    List<LayerOp> layers =
                            List.of(
                                    LayerOp.of(backdrop, BlendMode.NORMAL),
                                    new LayerOp(source, mode, opacity));
                    java.composite(layers, 0x80604020, expected);
                    shared.composite(layers, 0x80604020, actual);
                    if (!Arrays.equals(actual.pixels(), expected.pixels())) {
                        assertThat(actual.pixels())
                                .as("%s %s at opacity %d", alphaMode, mode, opacity)
                                .isEqualTo(expected.pixels());
                    }
                }
            }
        }
    }

    private static void put(byte[] p, int i, int rgba) {
        p[4 * i] = (byte) (rgba >>> 24);
        p[4 * i + 1] = (byte) (rgba >>> 16);
        p[4 * i + 2] = (byte) (rgba >>> 8);
        p[4 * i + 3] = (byte) rgba;
    }

    @Example
    void badBatchesAreRefusedBeforeAnyWork() {
        try (OpenClCompositor compositor = OpenClCompositor.open(device, 4, 4)) {
            int handle = compositor.upload(new RgbaImage(4, 4));
            RgbaImage out = new RgbaImage(4, 4);
            CompositeBatch unknown =
                    new CompositeBatch().token(0).layer(handle + 1, BlendMode.ADD, 9);
            assertThatThrownBy(() -> compositor.composite(unknown, new RgbaImage[] {out}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("never uploaded");
            CompositeBatch two = new CompositeBatch().token(0).token(0);
            assertThatThrownBy(() -> compositor.composite(two, new RgbaImage[] {out, out}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("share one pixel array");
            assertThatThrownBy(
                            () ->
                                    compositor.composite(
                                            two, new RgbaImage[] {out, new RgbaImage(4, 5)}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4x5");
            assertThatThrownBy(() -> compositor.upload(new RgbaImage(5, 4)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("5x4");
            RgbaImage straightOut = RgbaImage.straight(4, 4, new byte[64]);
            assertThatThrownBy(
                            () ->
                                    compositor.composite(
                                            new CompositeBatch().token(0),
                                            new RgbaImage[] {straightOut}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("premultiplied");
        }
    }

    @Example
    void aClosedCompositorRefusesWork() {
        OpenClCompositor compositor = OpenClCompositor.open(device, 2, 2);
        compositor.upload(new RgbaImage(2, 2));
        OpenClResampler resampler = compositor.resampler();
        compositor.close();
        compositor.close(); // closing twice is harmless
        assertThatThrownBy(() -> compositor.upload(new RgbaImage(2, 2)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(
                        () ->
                                resampler.resample(
                                        new RgbaImage(2, 2),
                                        ResampleFilter.NEAREST,
                                        new RgbaImage(3, 3)))
                .isInstanceOf(IllegalStateException.class);
    }
}
