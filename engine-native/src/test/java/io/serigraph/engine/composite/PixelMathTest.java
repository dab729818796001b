package io.serigraph.engine.composite;

import static io.serigraph.engine.composite.PixelMath.U;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelMathTest {
    @Test
    void div255IsRoundedDivisionOverItsDocumentedRange() {
        for (int x = 0; x <= 65662; x++) {
            // x / 255 is never exactly halfway (255 is odd), so floor((2x + 255) / 510) rounds it.
            int expected = (2 * x + 255) / 510;
            assertThat(PixelMath.div255(x)).as("div255(%d)", x).isEqualTo(expected);
            assertThat(PixelMath.divRound(x, 255)).as("divRound(%d, 255)", x).isEqualTo(expected);
        }
    }

    @Test
    void divRoundIsRoundToNearestForTheAccumulatorScale() {
        Random random = new Random(1);
        for (int i = 0; i < 1_000_000; i++) {
            long x = (long) (random.nextDouble() * U * (double) U * 2);
            long expected = (2 * x + U) / (2L * U); // floor(x / U + 1/2); U odd: no ties
            assertThat(PixelMath.divU(x)).as("divU(%d)", x).isEqualTo((int) expected);
        }
        assertThat(PixelMath.divU(32512)).isEqualTo(0);
        assertThat(PixelMath.divU(32513)).isEqualTo(1);
        assertThat(PixelMath.divU((long) U * U)).isEqualTo(U);
    }

    @Test
    void dividing255TimesXByUIsDividingXBy255() {
        // The identity behind the normal-at-opacity-255 shortcut, over its whole range.
        int checked = 0;
        for (int x = 0; x <= U * 255; x++) {
            if (PixelMath.divU(255L * x) != (int) PixelMath.divRound(x, 255)) {
                throw new AssertionError(
                        "divRound(255 * " + x + ", U) != divRound(" + x + ", 255)");
            }
            checked++;
        }
        assertThat(checked).isEqualTo(U * 255 + 1);
    }

    @Test
    void screenIsOneRoundingOfTheExactValue() {
        Random random = new Random(2);
        for (int i = 0; i < 1_000_000; i++) {
            int cs = random.nextInt(U + 1);
            int cb = random.nextInt(U + 1);
            long exact = (long) U * cs + (long) U * cb - (long) cs * cb;
            assertThat(PixelMath.screen(cs, cb)).isEqualTo(PixelMath.divU(exact));
        }
    }

    @Test
    void straightSourceIsExactAtFullOpacityAndRoundedOtherwise() {
        for (int a = 0; a <= 255; a++) {
            for (int c = 0; c <= 255; c++) {
                assertThat(PixelMath.straightSource(c, a, 255)).isEqualTo(c * a);
                for (int o = 0; o <= 255; o += 17) {
                    double exact = c * a * (double) o / 255;
                    int cs = PixelMath.straightSource(c, a, o);
                    assertThat(Math.abs(cs - exact)).isLessThanOrEqualTo(0.5);
                    assertThat(cs).isLessThanOrEqualTo(PixelMath.sourceAlpha(a, o));
                }
            }
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
    void round8RoundsEachChannelOnceAndKeepsColoursAtMostAlpha() {
        int[] acc = {127, 128, 32640, 32640};
        assertThat(PixelMath.round8(acc, 0)).isEqualTo(0x00018080);
        int[] full = {PixelMath.U, 0, 255, PixelMath.U};
        assertThat(PixelMath.round8(full, 0)).isEqualTo(0xFF0001FF);
    }

    @Test
    void addClampsAtU() {
        assertThat(PixelMath.add(U - 1, 2)).isEqualTo(U);
        assertThat(PixelMath.add(20, 100)).isEqualTo(120);
    }
}
