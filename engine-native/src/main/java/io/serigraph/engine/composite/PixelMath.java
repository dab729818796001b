package io.serigraph.engine.composite;

/**
 * The integer pixel math of Serigraph, written once here and in {@code docs/pixel-math.md}; the
 * OpenCL kernels implement exactly the same formulas. Every function is exact integer arithmetic
 * with one rounding rule, {@link #divRound}, so results never depend on the platform.
 *
 * <p>Two scales occur. 8-bit channels ({@code 0..255}) are what images store; {@link #div255},
 * {@link #premultiply}, {@link #unpremultiply} work on them. The compositor's accumulator works at
 * scale {@link #U} {@code = 255 * 255}: colours {@code cs}/{@code cb} are premultiplied source and
 * backdrop channels and {@code as}/{@code ab} their alphas, all in {@code 0..U}, and every blend
 * function expects valid input ({@code cs <= as}, {@code cb <= ab}). Each blend function returns
 * one output colour channel, rounded once; all of them except {@link #add} pair with {@link
 * #overAlpha} for the output alpha. Products are formed in 64 bits (they reach {@code U * U >
 * 2^31}).
 */
public final class PixelMath {
    /** Version of the pixel math; part of every token's lineage. Bump on any change of output. */
    public static final int VERSION = 2;

    /** The accumulator's 1.0: {@code 255 * 255}. */
    public static final int U = 255 * 255;

    private PixelMath() {}

    /**
     * The one rounding rule: {@code (x + d / 2) / d} for {@code x >= 0}, {@code d > 0}, which is
     * {@code round(x / d)} for the odd divisors used (255 and {@link #U}: never a tie).
     */
    public static long divRound(long x, long d) {
        return (x + d / 2) / d;
    }

    /** {@link #divRound}{@code (x, U)}, the rounding of every blend step. */
    public static int divU(long x) {
        return (int) divRound(x, U);
    }

    /**
     * {@code divRound(x, 255)} without a division, exact for {@code 0 <= x <= 65662} (so for every
     * 8-bit product and every accumulator value): {@code (x + 128 + ((x + 128) >> 8)) >> 8}.
     */
    public static int div255(int x) {
        int t = x + 128;
        return (t + (t >> 8)) >> 8;
    }

    /**
     * Straight 8-bit channel {@code c} with alpha {@code a} to premultiplied: {@code div255(c *
     * a)}.
     */
    public static int premultiply(int c, int a) {
        return div255(c * a);
    }

    /**
     * Premultiplied 8-bit channel {@code p <= a} back to straight: {@code round(p * 255 / a)}, and
     * 0 when {@code a == 0}. {@code premultiply(unpremultiply(p, a), a) == p} for every valid
     * {@code p}.
     */
    public static int unpremultiply(int p, int a) {
        return a == 0 ? 0 : (p * 255 + (a >> 1)) / a;
    }

    /** A source alpha on the accumulator scale: 8-bit alpha {@code a} times opacity {@code o}. */
    public static int sourceAlpha(int a, int opacity) {
        return a * opacity;
    }

    /**
     * A straight source colour on the accumulator scale: {@code divRound(c * a * o, 255)}; exactly
     * {@code c * a} at opacity 255.
     */
    public static int straightSource(int c, int a, int opacity) {
        return (c * a * opacity + 127) / 255;
    }

    /**
     * A premultiplied source colour on the accumulator scale: {@code p * o} (exact: the 8-bit
     * premultiplication already rounded).
     */
    public static int premultipliedSource(int p, int opacity) {
        return p * opacity;
    }

    /**
     * Output alpha of source-over, shared by normal, multiply, screen and overlay: {@code as +
     * divRound(ab * (U - as), U)}.
     */
    public static int overAlpha(int as, int ab) {
        return as + divU((long) ab * (U - as));
    }

    /** normal (source-over): {@code cs + divRound(cb * (U - as), U)}. */
    public static int normal(int cs, int as, int cb) {
        return cs + divU((long) cb * (U - as));
    }

    /**
     * multiply, {@code B(Cb, Cs) = Cb * Cs}: {@code divRound(cs * (U - ab) + cb * (U - as) + cs *
     * cb, U)}.
     */
    public static int multiply(int cs, int as, int cb, int ab) {
        return divU((long) cs * (U - ab) + (long) cb * (U - as) + (long) cs * cb);
    }

    /** screen, {@code B(Cb, Cs) = Cb + Cs - Cb * Cs}: {@code cs + cb - divRound(cs * cb, U)}. */
    public static int screen(int cs, int cb) {
        return cs + cb - divU((long) cs * cb);
    }

    /**
     * overlay, {@code B(Cb, Cs) = HardLight(Cs, Cb)}: {@code divRound(cs * (U - ab) + cb * (U - as)
     * + t, U)} where {@code t = 2 * cs * cb} when {@code 2 * cb <= ab} (backdrop at most half
     * bright), else {@code t = as * ab - 2 * (as - cs) * (ab - cb)}.
     */
    public static int overlay(int cs, int as, int cb, int ab) {
        long t = 2 * cb <= ab ? 2L * cs * cb : (long) as * ab - 2L * (as - cs) * (ab - cb);
        return divU((long) cs * (U - ab) + (long) cb * (U - as) + t);
    }

    /**
     * add (Porter-Duff plus, "plus-lighter"), for colour and alpha alike: {@code min(s + b, U)}.
     * Exact, no rounding.
     */
    public static int add(int s, int b) {
        return Math.min(s + b, U);
    }

    /** The last step of every mode: colour {@code co} clamped to {@code 0..ao}. */
    public static int clamp(int co, int ao) {
        return Math.min(Math.max(co, 0), ao);
    }

    /**
     * An accumulator value ({@code 0..U}) rounded to 8 bits: {@code divRound(x, 255)}, computed as
     * {@link #div255}.
     */
    public static int to8(int x) {
        return div255(x);
    }

    /**
     * A straight background {@code 0xRRGGBBAA} onto the accumulator pixel {@code acc[at..at + 3]}:
     * colours {@code c * A}, alpha {@code 255 * A}, exact.
     */
    public static void background(int straightRgba, int[] acc, int at) {
        int a = straightRgba & 0xFF;
        acc[at] = (straightRgba >>> 24) * a;
        acc[at + 1] = ((straightRgba >>> 16) & 0xFF) * a;
        acc[at + 2] = ((straightRgba >>> 8) & 0xFF) * a;
        acc[at + 3] = 255 * a;
    }

    /**
     * A premultiplied 8-bit pixel {@code 0xRRGGBBAA} onto the accumulator pixel {@code acc[at..at +
     * 3]}, exactly: every channel times 255.
     */
    public static void lift(int premultipliedRgba, int[] acc, int at) {
        acc[at] = (premultipliedRgba >>> 24) * 255;
        acc[at + 1] = ((premultipliedRgba >>> 16) & 0xFF) * 255;
        acc[at + 2] = ((premultipliedRgba >>> 8) & 0xFF) * 255;
        acc[at + 3] = (premultipliedRgba & 0xFF) * 255;
    }

    /**
     * The accumulator pixel {@code acc[at..at + 3]} rounded once to premultiplied 8 bits, packed
     * {@code 0xRRGGBBAA}: {@code a8 = divRound(A, 255)}, each colour {@code min(divRound(P, 255),
     * a8)}.
     */
    public static int round8(int[] acc, int at) {
        int a = to8(acc[at + 3]);
        int r = Math.min(to8(acc[at]), a);
        int g = Math.min(to8(acc[at + 1]), a);
        int b = Math.min(to8(acc[at + 2]), a);
        return r << 24 | g << 16 | b << 8 | a;
    }
}
