package io.serigraph.engine.composite;

/**
 * The integer pixel math of Serigraph, written once here and in {@code docs/pixel-math.md}; the
 * OpenCL kernels implement exactly the same formulas. Every function is exact integer arithmetic
 * with one rounding rule, so results never depend on the platform.
 *
 * <p>Channels are ints in {@code 0..255}. Colour arguments named {@code cs}/{@code cb} are
 * premultiplied source/backdrop colours, {@code as}/{@code ab} their alphas, and every function
 * expects valid premultiplied input ({@code cs <= as}, {@code cb <= ab}). Each blend function
 * returns one output colour channel; all of them except {@link #add} pair with {@link #overAlpha}
 * for the output alpha, and the result is again valid premultiplied. Every blend numerator lies in
 * {@code 0..255 * 255}, inside the exact range of {@link #div255}.
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

    /**
     * A premultiplied channel (colour or alpha) scaled by a layer opacity {@code 0..255}: {@code
     * div255(c * opacity)}. Applied to all four channels of a source pixel it keeps the pixel valid
     * premultiplied, because div255 is monotone.
     */
    public static int scale(int c, int opacity) {
        return div255(c * opacity);
    }

    /**
     * Output alpha of source-over, shared by normal, multiply, screen and overlay: {@code
     * div255(255 * as + ab * (255 - as))}.
     */
    public static int overAlpha(int as, int ab) {
        return div255(255 * as + ab * (255 - as));
    }

    /** normal (source-over): {@code div255(255 * cs + cb * (255 - as))}. */
    public static int normal(int cs, int as, int cb) {
        return div255(255 * cs + cb * (255 - as));
    }

    /**
     * multiply, {@code B(Cb, Cs) = Cb * Cs}: {@code div255(cs * (255 - ab) + cb * (255 - as) + cs *
     * cb)}.
     */
    public static int multiply(int cs, int as, int cb, int ab) {
        return div255(cs * (255 - ab) + cb * (255 - as) + cs * cb);
    }

    /**
     * screen, {@code B(Cb, Cs) = Cb + Cs - Cb * Cs}: {@code div255(255 * cs + 255 * cb - cs * cb)}.
     */
    public static int screen(int cs, int cb) {
        return div255(255 * cs + 255 * cb - cs * cb);
    }

    /**
     * overlay, {@code B(Cb, Cs) = HardLight(Cs, Cb)}: {@code div255(cs * (255 - ab) + cb * (255 -
     * as) + t)} where {@code t = 2 * cs * cb} when {@code 2 * cb <= ab} (backdrop at most half
     * bright), else {@code t = as * ab - 2 * (as - cs) * (ab - cb)}.
     */
    public static int overlay(int cs, int as, int cb, int ab) {
        int t = 2 * cb <= ab ? 2 * cs * cb : as * ab - 2 * (as - cs) * (ab - cb);
        return div255(cs * (255 - ab) + cb * (255 - as) + t);
    }

    /**
     * add (Porter-Duff plus, "plus-lighter"), for colour and alpha alike: {@code min(255, s + b)}.
     * Exact, no rounding.
     */
    public static int add(int s, int b) {
        return Math.min(255, s + b);
    }
}
