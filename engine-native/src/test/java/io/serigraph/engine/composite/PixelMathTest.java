package io.serigraph.engine.composite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PixelMathTest {
    @Test
    void div255IsRoundedDivisionOverTheWholeBlendRange() {
        for (int x = 0; x <= 255 * 255 + 127; x++) {
            // x / 255 is never exactly halfway (255 is odd), so floor((2x + 255) / 510) rounds it.
            int expected = (2 * x + 255) / 510;
            assertThat(PixelMath.div255(x)).as("div255(%d)", x).isEqualTo(expected);
        }
    }

    @Test
    void premultiplyRoundsTheExactProduct() {
        for (int a = 0; a <= 255; a++) {
            for (int c = 0; c <= 255; c++) {
                long expected = Math.round(c * a / 255.0);
                assertThat(PixelMath.premultiply(c, a)).isEqualTo((int) expected);
                assertThat(PixelMath.premultiply(c, a)).isLessThanOrEqualTo(a);
            }
        }
    }

    @Test
    void unpremultiplyThenPremultiplyRoundTripsEveryValidPixel() {
        for (int a = 0; a <= 255; a++) {
            for (int p = 0; p <= a; p++) {
                int straight = PixelMath.unpremultiply(p, a);
                assertThat(straight).isBetween(0, 255);
                assertThat(PixelMath.premultiply(straight, a)).as("p=%d a=%d", p, a).isEqualTo(p);
            }
        }
    }

    @Test
    void addClampsAt255() {
        assertThat(PixelMath.add(200, 100)).isEqualTo(255);
        assertThat(PixelMath.add(20, 100)).isEqualTo(120);
    }
}
