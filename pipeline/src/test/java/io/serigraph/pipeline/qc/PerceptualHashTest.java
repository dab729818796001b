package io.serigraph.pipeline.qc;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.engine.image.RgbaImage;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

class PerceptualHashTest {
    private static final int S = 96;

    private static RgbaImage image(IntBinaryOperator grey) {
        byte[] p = new byte[S * S * 4];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                int g = Math.max(0, Math.min(255, grey.applyAsInt(x, y)));
                int i = (y * S + x) * 4;
                p[i] = (byte) g;
                p[i + 1] = (byte) g;
                p[i + 2] = (byte) g;
                p[i + 3] = (byte) 0xFF;
            }
        }
        return RgbaImage.straight(S, S, p);
    }

    private static RgbaImage scene() {
        return image(
                (x, y) ->
                        (x * 3 + y) % 256 / 2
                                + ((x - 30) * (x - 30) + (y - 50) * (y - 50) < 400 ? 120 : 0));
    }

    @Test
    void identicalImagesHaveDistanceZero() {
        long a = new PerceptualHash().hash(scene());
        long b = new PerceptualHash().hash(scene());
        assertThat(PerceptualHash.distance(a, b)).isZero();
        assertThat(Long.bitCount(a)).as("a balanced hash").isBetween(20, 44);
    }

    @Test
    void smallNoiseGivesASmallDistance() {
        Random random = new Random(3);
        RgbaImage clean = scene();
        RgbaImage noisy = clean.copy();
        byte[] p = noisy.pixels();
        for (int i = 0; i < p.length; i += 4) {
            int g = Math.max(0, Math.min(255, (p[i] & 0xFF) + random.nextInt(11) - 5));
            p[i] = (byte) g;
            p[i + 1] = (byte) g;
            p[i + 2] = (byte) g;
        }
        PerceptualHash h = new PerceptualHash();
        int d = PerceptualHash.distance(h.hash(clean), h.hash(noisy));
        assertThat(d).as("noise changes a few bits at most").isLessThanOrEqualTo(6);
    }

    @Test
    void differentImagesAreFarApart() {
        PerceptualHash h = new PerceptualHash();
        long a = h.hash(scene());
        long b = h.hash(image((x, y) -> ((x / 12 + y / 12) % 2) * 255));
        long c = h.hash(image((x, y) -> 255 - y * 2));
        assertThat(PerceptualHash.distance(a, b)).isGreaterThan(16);
        assertThat(PerceptualHash.distance(a, c)).isGreaterThan(16);
        assertThat(PerceptualHash.distance(b, c)).isGreaterThan(16);
    }

    @Test
    void dcBitIsAlwaysZeroAndAcBitsSplitAtTheMedian() {
        double[] grey = new double[32 * 32];
        Random random = new Random(11);
        for (int i = 0; i < grey.length; i++) {
            grey[i] = random.nextInt(256);
        }
        long h = PerceptualHash.hash32(grey);
        assertThat(h & 1L).isZero();
        // 63 AC coefficients, the median one is not above itself: 31 bits set.
        assertThat(Long.bitCount(h)).isEqualTo(31);
    }
}
