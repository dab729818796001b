package io.serigraph.engine.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.resample.ResampleFilter;
import io.serigraph.engine.resample.Resampler;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The OpenCL resampler gives exactly {@link Resampler}'s bytes for both filters, up and down and
 * mixed, one axis or both. Skipped, loudly, without an OpenCL device ({@link
 * OpenClTestRequirements}).
 */
@AddLifecycleHook(OpenClTestRequirements.class)
class OpenClResamplerProperties {
    private static OpenClDevice device;
    private static OpenClResampler shared;

    @BeforeContainer
    static void openDevice() {
        device = OpenClDevices.cached().best();
        shared = OpenClResampler.open(device);
    }

    @AfterContainer
    static void closeDevice() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    @Property(tries = 150)
    void resamplingGivesTheJavaBytes(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int sw,
            @ForAll @IntRange(min = 1, max = 40) int sh,
            @ForAll @IntRange(min = 1, max = 90) int dw,
            @ForAll @IntRange(min = 1, max = 90) int dh,
            @ForAll ResampleFilter filter) {
        Random random = new Random(seed);
        RgbaImage src = TestImages.image(random, sw, sh, AlphaMode.PREMULTIPLIED);
        RgbaImage expected = TestImages.garbage(random, dw, dh);
        RgbaImage actual = TestImages.garbage(random, dw, dh);

        new Resampler().resample(src, filter, expected);
        shared.resample(src, filter, actual);

        assertThat(actual.pixels()).isEqualTo(expected.pixels());
    }

    @Example
    void oneAxisAtATimeAndStrongDownscales() {
        Random random = new Random(11);
        int[][] sizes = {
            {64, 9, 64, 31}, {9, 64, 31, 64}, {200, 150, 7, 5}, {1, 1, 50, 3}, {37, 23, 37, 23}
        };
        Resampler java = new Resampler();
        for (int[] s : sizes) {
            RgbaImage src = TestImages.image(random, s[0], s[1], AlphaMode.PREMULTIPLIED);
            for (ResampleFilter filter : ResampleFilter.values()) {
                RgbaImage expected = new RgbaImage(s[2], s[3]);
                RgbaImage actual = new RgbaImage(s[2], s[3]);
                java.resample(src, filter, expected);
                shared.resample(src, filter, actual);
                assertThat(actual.pixels())
                        .as("%dx%d -> %dx%d %s", s[0], s[1], s[2], s[3], filter)
                        .isEqualTo(expected.pixels());
            }
        }
    }

    @Example
    void aCompositorsResamplerSharesItsDevice() {
        Random random = new Random(3);
        RgbaImage src = TestImages.image(random, 21, 17, AlphaMode.PREMULTIPLIED);
        RgbaImage expected = new RgbaImage(40, 9);
        RgbaImage actual = new RgbaImage(40, 9);
        new Resampler().resample(src, ResampleFilter.LANCZOS3, expected);
        try (OpenClCompositor compositor = OpenClCompositor.open(device, 4, 4)) {
            compositor.resampler().resample(src, ResampleFilter.LANCZOS3, actual);
        }
        assertThat(actual.pixels()).isEqualTo(expected.pixels());
    }

    @Example
    void straightImagesAreRefused() {
        RgbaImage straight = RgbaImage.straight(2, 2, new byte[16]);
        assertThatThrownBy(
                        () ->
                                shared.resample(
                                        straight, ResampleFilter.NEAREST, new RgbaImage(3, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STRAIGHT");
    }
}
