package io.serigraph.pipeline.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void matchesPublicReferenceForSeed1234567() {
        // Vigna's splitmix64.c, seed 1234567: the widely published first five outputs.
        SplitMix64 rng = new SplitMix64(1234567);
        String[] expected = {
            "6457827717110365317",
            "3203168211198807973",
            "9817491932198370423",
            "4593380528125082431",
            "16408922859458223821",
        };
        for (String e : expected) {
            assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo(e);
        }
    }

    @Test
    void reseedRestartsTheStream() {
        SplitMix64 rng = new SplitMix64(7);
        long first = rng.nextLong();
        rng.nextLong();
        rng.reseed(7);
        assertThat(rng.nextLong()).isEqualTo(first);
    }

    @Test
    void boundedStaysInRangeAndRejectsBadBounds() {
        SplitMix64 rng = new SplitMix64(99);
        long bound = (1L << 62) + 12345; // large bound: threshold is big, rejection happens
        for (int i = 0; i < 10_000; i++) {
            assertThat(rng.nextBounded(bound)).isBetween(0L, bound - 1);
            assertThat(rng.nextBounded(3)).isBetween(0L, 2L);
            assertThat(rng.nextBounded(1)).isZero();
        }
        assertThatThrownBy(() -> rng.nextBounded(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundedIsRejectionSamplingAgainstTwoToThe64ModBound() {
        long[] bounds = {3, 10, (1L << 62) + 12345, Long.MAX_VALUE};
        for (long bound : bounds) {
            long threshold =
                    BigInteger.ONE.shiftLeft(64).mod(BigInteger.valueOf(bound)).longValueExact();
            SplitMix64 actual = new SplitMix64(5);
            SplitMix64 reference = new SplitMix64(5);
            for (int i = 0; i < 1000; i++) {
                long x = reference.nextLong();
                while (Long.compareUnsigned(x, threshold) < 0) {
                    x = reference.nextLong();
                }
                assertThat(actual.nextBounded(bound)).isEqualTo(Long.remainderUnsigned(x, bound));
            }
        }
    }
}
