package io.serigraph.engine.composite;

/**
 * The integer pixel math of Serigraph, written once here and in {@code docs/pixel-math.md}; the
 * OpenCL kernels implement exactly the same formulas. Every function is exact integer arithmetic
 * with one rounding rule, so results never depend on the platform.
 */
public final class PixelMath {
    /** Version of the pixel math; part of every token's lineage. Bump on any change of output. */
    public static final int VERSION = 1;

    private PixelMath() {}

    /**
     * {@code round(x / 255)} for {@code 0 <= x <= 255 * 255 + 127}, ties away from zero, without a
     * division: {@code (x + 128 + ((x + 128) >> 8)) >> 8}.
     */
    public static int div255(int x) {
        int t = x + 128;
        return (t + (t >> 8)) >> 8;
    }

    /** Straight channel {@code c} with alpha {@code a} to premultiplied: {@code div255(c * a)}. */
    public static int premultiply(int c, int a) {
        return div255(c * a);
    }

    /**
     * Premultiplied channel {@code p <= a} back to straight: {@code round(p * 255 / a)}, and 0 when
     * {@code a == 0}. {@code premultiply(unpremultiply(p, a), a) == p} for every valid {@code p}.
     */
    public static int unpremultiply(int p, int a) {
        return a == 0 ? 0 : (p * 255 + (a >> 1)) / a;
    }
}
