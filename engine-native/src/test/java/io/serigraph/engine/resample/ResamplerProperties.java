package io.serigraph.engine.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ResamplerProperties {

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

    static void assertValidPremultiplied(RgbaImage image) {
        byte[] p = image.pixels();
        for (int i = 0; i < p.length; i += 4) {
            int a = p[i + 3] & 0xFF;
            assertThat(p[i] & 0xFF).as("red at byte %d", i).isLessThanOrEqualTo(a);
            assertThat(p[i + 1] & 0xFF).as("green at byte %d", i).isLessThanOrEqualTo(a);
            assertThat(p[i + 2] & 0xFF).as("blue at byte %d", i).isLessThanOrEqualTo(a);
        }
    }

    @Property(tries = 100)
    void sameSizeIsAnExactCopy(
            @ForAll long seed,
            @ForAll ResampleFilter filter,
            @ForAll @IntRange(min = 1, max = 40) int width,
            @ForAll @IntRange(min = 1, max = 40) int height) {
        RgbaImage src = randomImage(new Random(seed), width, height);
        RgbaImage out = new Resampler().resample(src, width, height, filter);
        assertThat(out.pixels()).isEqualTo(src.pixels()).isNotSameAs(src.pixels());
    }

    @Property(tries = 100)
    void nearestTwiceUpscaleReplicatesEachPixel(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 30) int width,
            @ForAll @IntRange(min = 1, max = 30) int height) {
        RgbaImage src = randomImage(new Random(seed), width, height);
        RgbaImage out =
                new Resampler().resample(src, 2 * width, 2 * height, ResampleFilter.NEAREST);
        for (int y = 0; y < 2 * height; y++) {
            for (int x = 0; x < 2 * width; x++) {
                assertThat(out.rgba(x, y)).isEqualTo(src.rgba(x / 2, y / 2));
            }
        }
    }

    @Property(tries = 1000)
    void nearestIsTheFloorOfTheExactPixelCentre(
            @ForAll @IntRange(min = 1, max = 100_000) int srcSize,
            @ForAll @IntRange(min = 1, max = 100_000) int dstSize,
            @ForAll @IntRange(min = 0, max = 99_999) int dstIndex) {
        int dst = dstIndex % dstSize;
        int s = Resampler.nearest(dst, srcSize, dstSize);
        // s = floor((dst + 0.5) * srcSize / dstSize)  <=>  s <= centre < s + 1, scaled by 2 *
        // dstSize.
        long centreTimes2D = (2L * dst + 1) * srcSize;
        assertThat(s).isBetween(0, srcSize - 1);
        assertThat(2L * dstSize * s).isLessThanOrEqualTo(centreTimes2D);
        assertThat(2L * dstSize * (s + 1)).isGreaterThan(centreTimes2D);
    }

    @Property(tries = 200)
    void aConstantImageStaysConstant(
            @ForAll ResampleFilter filter,
            @ForAll @IntRange(min = 0, max = 255) int alpha,
            @ForAll @IntRange(min = 0, max = 0xFFFFFF) int rgb,
            @ForAll @IntRange(min = 1, max = 48) int srcW,
            @ForAll @IntRange(min = 1, max = 48) int srcH,
            @ForAll @IntRange(min = 1, max = 48) int dstW,
            @ForAll @IntRange(min = 1, max = 48) int dstH) {
        int r = Math.min((rgb >>> 16) & 0xFF, alpha);
        int g = Math.min((rgb >>> 8) & 0xFF, alpha);
        int b = Math.min(rgb & 0xFF, alpha);
        int pixel = r << 24 | g << 16 | b << 8 | alpha;
        byte[] p = new byte[srcW * srcH * 4];
        for (int i = 0; i < p.length; i += 4) {
            p[i] = (byte) r;
            p[i + 1] = (byte) g;
            p[i + 2] = (byte) b;
            p[i + 3] = (byte) alpha;
        }
        RgbaImage out = new Resampler().resample(new RgbaImage(srcW, srcH, p), dstW, dstH, filter);
        for (int y = 0; y < dstH; y++) {
            for (int x = 0; x < dstW; x++) {
                assertThat(out.rgba(x, y)).isEqualTo(pixel);
            }
        }
    }

    @Property(tries = 150)
    void lanczosOutputIsValidPremultiplied(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int srcW,
            @ForAll @IntRange(min = 1, max = 40) int srcH,
            @ForAll @IntRange(min = 1, max = 80) int dstW,
            @ForAll @IntRange(min = 1, max = 80) int dstH) {
        Random random = new Random(seed);
        RgbaImage src = randomImage(random, srcW, srcH);
        RgbaImage out = new Resampler().resample(src, dstW, dstH, ResampleFilter.LANCZOS3);
        assertValidPremultiplied(out);
    }

    @Property(tries = 100)
    void lanczosIsWithinTwoOfADoublePrecisionReference(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 24) int srcW,
            @ForAll @IntRange(min = 1, max = 24) int srcH,
            @ForAll @IntRange(min = 1, max = 48) int dstW,
            @ForAll @IntRange(min = 1, max = 48) int dstH) {
        RgbaImage src = randomImage(new Random(seed), srcW, srcH);
        RgbaImage out = new Resampler().resample(src, dstW, dstH, ResampleFilter.LANCZOS3);
        int[] expected = LanczosReference.resample(src, dstW, dstH);
        byte[] actual = out.pixels();
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i] & 0xFF)
                    .as("byte %d of %dx%d -> %dx%d", i, srcW, srcH, dstW, dstH)
                    .isBetween(expected[i] - 2, expected[i] + 2);
        }
    }

    @Property(tries = 200)
    void eachPassIsTheDocumentedFixedPointSumOverTheTable(
            @ForAll long seed,
            @ForAll boolean horizontal,
            @ForAll @IntRange(min = 1, max = 50) int srcSize,
            @ForAll @IntRange(min = 1, max = 50) int dstSize) {
        // A one-pixel-thick image exercises exactly one pass; this pins the rounding and clamping
        // of docs/pixel-math.md to the byte, independently of the Resampler's loops.
        RgbaImage src =
                horizontal
                        ? randomImage(new Random(seed), srcSize, 1)
                        : randomImage(new Random(seed), 1, srcSize);
        RgbaImage out =
                horizontal
                        ? new Resampler().resample(src, dstSize, 1, ResampleFilter.LANCZOS3)
                        : new Resampler().resample(src, 1, dstSize, ResampleFilter.LANCZOS3);
        LanczosWeights w = LanczosWeights.of(srcSize, dstSize);
        for (int i = 0; i < dstSize; i++) {
            long[] acc = new long[4];
            for (int k = 0; k < w.count(i); k++) {
                byte[] p = src.pixels();
                for (int c = 0; c < 4; c++) {
                    acc[c] += (long) w.weight(i, k) * (p[(w.first(i) + k) * 4 + c] & 0xFF);
                }
            }
            long alpha = Math.min(255, Math.max(0, Math.floorDiv(acc[3] + 8192, 16384)));
            int actual = horizontal ? out.rgba(i, 0) : out.rgba(0, i);
            assertThat(actual & 0xFF).as("alpha of pixel %d", i).isEqualTo((int) alpha);
            for (int c = 0; c < 3; c++) {
                long colour = Math.min(alpha, Math.max(0, Math.floorDiv(acc[c] + 8192, 16384)));
                assertThat((actual >>> (24 - 8 * c)) & 0xFF)
                        .as("channel %d of pixel %d", c, i)
                        .isEqualTo((int) colour);
            }
        }
    }

    @Example
    void downscalingACheckerboardGivesMidGrey() {
        for (int factor : new int[] {2, 3, 4, 8}) {
            int size = 16 * factor;
            byte[] p = new byte[size * size * 4];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int v = ((x + y) & 1) == 0 ? 0 : 255;
                    int i = (y * size + x) * 4;
                    p[i] = (byte) v;
                    p[i + 1] = (byte) v;
                    p[i + 2] = (byte) v;
                    p[i + 3] = (byte) 255;
                }
            }
            RgbaImage out =
                    new Resampler()
                            .resample(
                                    new RgbaImage(size, size, p), 16, 16, ResampleFilter.LANCZOS3);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    int rgba = out.rgba(x, y);
                    assertThat(rgba & 0xFF).isEqualTo(255);
                    for (int shift = 8; shift <= 24; shift += 8) {
                        // Mid grey is 127.5: within 1 means 127 or 128.
                        assertThat((rgba >>> shift) & 0xFF)
                                .as("factor %d pixel (%d, %d)", factor, x, y)
                                .isBetween(127, 128);
                    }
                }
            }
        }
    }

    @Property(tries = 50)
    void resamplingIsDeterministicAndTheCacheChangesNothing(
            @ForAll long seed,
            @ForAll ResampleFilter filter,
            @ForAll @IntRange(min = 1, max = 40) int srcW,
            @ForAll @IntRange(min = 1, max = 40) int srcH,
            @ForAll @IntRange(min = 1, max = 60) int dstW,
            @ForAll @IntRange(min = 1, max = 60) int dstH) {
        Random random = new Random(seed);
        RgbaImage src = randomImage(random, srcW, srcH);
        RgbaImage other = randomImage(random, srcH, srcW);
        Resampler reused = new Resampler();
        RgbaImage first = new RgbaImage(dstW, dstH);
        reused.resample(src, filter, first);
        // Other sizes in between replace the cached tables and buffers.
        reused.resample(other, dstH, dstW, filter);
        reused.resample(other, 3, 70, filter);
        RgbaImage second = randomImage(random, dstW, dstH);
        reused.resample(src, filter, second);
        RgbaImage fresh = new Resampler().resample(src, dstW, dstH, filter);
        assertThat(second.pixels()).isEqualTo(first.pixels());
        assertThat(fresh.pixels()).isEqualTo(first.pixels());
    }

    @Example
    void theOutputCannotShareTheSourceArrayAtAnotherSize() {
        byte[] shared = new byte[4 * 4 * 4];
        RgbaImage src = new RgbaImage(4, 4, shared);
        RgbaImage out = new RgbaImage(2, 8, shared);
        assertThatThrownBy(() -> new Resampler().resample(src, ResampleFilter.NEAREST, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shares its pixels");
    }

    @Example
    void straightImagesAreRejected() {
        RgbaImage straight = RgbaImage.straight(4, 4, new byte[64]);
        assertThatThrownBy(
                        () ->
                                new Resampler()
                                        .resample(
                                                straight,
                                                ResampleFilter.LANCZOS3,
                                                new RgbaImage(2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source image is STRAIGHT");
        assertThatThrownBy(
                        () ->
                                new Resampler()
                                        .resample(
                                                new RgbaImage(4, 4),
                                                ResampleFilter.NEAREST,
                                                RgbaImage.straight(2, 2, new byte[16])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output image is STRAIGHT");
        assertThat(straight.alphaMode()).isEqualTo(AlphaMode.STRAIGHT);
    }
}
