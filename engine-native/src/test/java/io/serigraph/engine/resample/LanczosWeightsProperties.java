package io.serigraph.engine.resample;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.engine.image.RgbaImage;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LanczosWeightsProperties {

    @Property(tries = 500)
    void weightsSumToOneAndStayInsideTheSource(
            @ForAll @IntRange(min = 1, max = 1200) int srcSize,
            @ForAll @IntRange(min = 1, max = 1200) int dstSize) {
        LanczosWeights w = LanczosWeights.of(srcSize, dstSize);
        assertThat(w.srcSize()).isEqualTo(srcSize);
        assertThat(w.dstSize()).isEqualTo(dstSize);
        int[] weights = w.weights();
        assertThat(weights).hasSize(dstSize * w.taps());
        for (int i = 0; i < dstSize; i++) {
            assertThat(w.count(i)).isBetween(1, w.taps());
            assertThat(w.first(i)).isGreaterThanOrEqualTo(0);
            assertThat(w.first(i) + w.count(i)).isLessThanOrEqualTo(srcSize);
            int sum = 0;
            int absSum = 0;
            for (int k = 0; k < w.count(i); k++) {
                sum += w.weight(i, k);
                absSum += Math.abs(w.weight(i, k));
            }
            assertThat(sum).as("sum of pixel %d", i).isEqualTo(1 << 14);
            // docs/pixel-math.md bounds the accumulator with this: |acc| < 255 * 2^15 < 2^23.
            assertThat(absSum).as("sum of |weights| of pixel %d", i).isLessThan(2 << 14);
            assertThat(w.weight(i, 0)).isNotZero();
            assertThat(w.weight(i, w.count(i) - 1)).isNotZero();
            for (int k = w.count(i); k < w.taps(); k++) {
                assertThat(weights[i * w.taps() + k]).isZero();
            }
        }
    }

    @Property(tries = 200)
    void eachWeightIsTheNormalisedKernelRounded(
            @ForAll @IntRange(min = 1, max = 300) int srcSize,
            @ForAll @IntRange(min = 1, max = 300) int dstSize) {
        LanczosWeights w = LanczosWeights.of(srcSize, dstSize);
        for (int i = 0; i < dstSize; i++) {
            double[] expected = LanczosReference.allWeights(srcSize, dstSize, i);
            int corrected = 0;
            for (int s = 0; s < srcSize; s++) {
                int k = s - w.first(i);
                int actual = k >= 0 && k < w.count(i) ? w.weight(i, k) : 0;
                double error = Math.abs(actual - expected[s] * (1 << 14));
                if (error > 0.5 + 1e-6) {
                    // Only the tap that absorbed the sum fix may be off by more than rounding.
                    corrected++;
                    assertThat(error).as("pixel %d source %d", i, s).isLessThan(0.5 * srcSize + 1);
                }
            }
            assertThat(corrected)
                    .as("taps off by more than rounding in pixel %d", i)
                    .isLessThanOrEqualTo(1);
        }
    }

    @Example
    void equalSizesAreTheIdentity() {
        for (int size : new int[] {1, 2, 7, 512}) {
            LanczosWeights w = LanczosWeights.of(size, size);
            assertThat(w.taps()).isEqualTo(1);
            for (int i = 0; i < size; i++) {
                assertThat(w.first(i)).isEqualTo(i);
                assertThat(w.count(i)).isEqualTo(1);
                assertThat(w.weight(i, 0)).isEqualTo(1 << 14);
            }
        }
    }

    @Example
    void tablesAreReproducible() {
        LanczosWeights a = LanczosWeights.of(1024, 333);
        LanczosWeights b = LanczosWeights.of(1024, 333);
        assertThat(a.weights()).isEqualTo(b.weights());
        assertThat(a.firsts()).isEqualTo(b.firsts());
        assertThat(a.counts()).isEqualTo(b.counts());
    }

    @Example
    void theResamplerReusesItsTables() {
        Resampler resampler = new Resampler();
        resampler.resample(new RgbaImage(64, 32), 128, 16, ResampleFilter.LANCZOS3);
        assertThat(resampler.lanczosWeights(64, 128)).isSameAs(resampler.lanczosWeights(64, 128));
        assertThat(resampler.lanczosWeights(32, 16)).isSameAs(resampler.lanczosWeights(32, 16));
    }
}
