package io.serigraph.engine.composite;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.util.Locale;
import java.util.Objects;

/**
 * How a layer is combined with what lies below it: the W3C Compositing and Blending Level 1 modes,
 * in integers on the compositor's accumulator scale ({@link PixelMath#U}). The exact formulas,
 * rounding included, are in {@code docs/pixel-math.md} and {@link PixelMath}; every compute path
 * reproduces them bit for bit.
 *
 * <p>Every mode takes the source pixel's colour and alpha onto the accumulator scale with the layer
 * opacity (exactly, for a straight source at opacity 255 and for any premultiplied source), rounds
 * once per channel, and always yields valid premultiplied values (each colour at most its alpha).
 */
public enum BlendMode {
    /** Source-over: {@code B(Cb, Cs) = Cs}. */
    NORMAL,
    /** {@code B(Cb, Cs) = Cb * Cs}, then source-over. */
    MULTIPLY,
    /** {@code B(Cb, Cs) = Cb + Cs - Cb * Cs}, then source-over. */
    SCREEN,
    /** {@code B(Cb, Cs) = HardLight(Cs, Cb)}, then source-over. */
    OVERLAY,
    /** Porter-Duff plus ("plus-lighter"): colours and alphas add, clamped to 1.0. */
    ADD;

    /**
     * The spec spelling: {@code normal}, {@code multiply}, {@code screen}, {@code overlay}, {@code
     * add}.
     */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the spec spelling; {@code null} when unknown. */
    public static BlendMode fromSpecName(String name) {
        for (BlendMode m : values()) {
            if (m.specName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /**
     * One compositing step on one pixel, the per-pixel definition every compositor implements (not
     * the fast path): the source pixel {@code srcRgba} (packed {@code 0xRRGGBBAA} like {@link
     * RgbaImage#rgba}, in {@code srcMode}) at layer opacity {@code opacity} ({@code 0..255}) over
     * the accumulator pixel {@code acc[at..at + 3]} (premultiplied R, G, B, then A, each {@code
     * 0..}{@link PixelMath#U}), which it replaces. The exact formulas are in {@code
     * docs/pixel-math.md}: source terms, one rounding per channel, then the colour clamped to the
     * alpha.
     */
    public void blend(int srcRgba, AlphaMode srcMode, int opacity, int[] acc, int at) {
        Objects.requireNonNull(srcMode, "srcMode");
        if (opacity < 0 || opacity > 255) {
            throw new IllegalArgumentException("opacity must be in 0..255, was " + opacity);
        }
        int a = srcRgba & 0xFF;
        int as = PixelMath.sourceAlpha(a, opacity);
        int rs;
        int gs;
        int bs;
        if (srcMode == AlphaMode.STRAIGHT) {
            rs = PixelMath.straightSource(srcRgba >>> 24, a, opacity);
            gs = PixelMath.straightSource((srcRgba >>> 16) & 0xFF, a, opacity);
            bs = PixelMath.straightSource((srcRgba >>> 8) & 0xFF, a, opacity);
        } else {
            rs = PixelMath.premultipliedSource(srcRgba >>> 24, opacity);
            gs = PixelMath.premultipliedSource((srcRgba >>> 16) & 0xFF, opacity);
            bs = PixelMath.premultipliedSource((srcRgba >>> 8) & 0xFF, opacity);
        }
        int rb = acc[at];
        int gb = acc[at + 1];
        int bb = acc[at + 2];
        int ab = acc[at + 3];
        int r;
        int g;
        int b;
        int ao;
        switch (this) {
            case NORMAL -> {
                r = PixelMath.normal(rs, as, rb);
                g = PixelMath.normal(gs, as, gb);
                b = PixelMath.normal(bs, as, bb);
                ao = PixelMath.overAlpha(as, ab);
            }
            case MULTIPLY -> {
                r = PixelMath.multiply(rs, as, rb, ab);
                g = PixelMath.multiply(gs, as, gb, ab);
                b = PixelMath.multiply(bs, as, bb, ab);
                ao = PixelMath.overAlpha(as, ab);
            }
            case SCREEN -> {
                r = PixelMath.screen(rs, rb);
                g = PixelMath.screen(gs, gb);
                b = PixelMath.screen(bs, bb);
                ao = PixelMath.overAlpha(as, ab);
            }
            case OVERLAY -> {
                r = PixelMath.overlay(rs, as, rb, ab);
                g = PixelMath.overlay(gs, as, gb, ab);
                b = PixelMath.overlay(bs, as, bb, ab);
                ao = PixelMath.overAlpha(as, ab);
            }
            case ADD -> {
                r = PixelMath.add(rs, rb);
                g = PixelMath.add(gs, gb);
                b = PixelMath.add(bs, bb);
                ao = PixelMath.add(as, ab);
            }
            default -> throw new AssertionError(this);
        }
        acc[at] = PixelMath.clamp(r, ao);
        acc[at + 1] = PixelMath.clamp(g, ao);
        acc[at + 2] = PixelMath.clamp(b, ao);
        acc[at + 3] = ao;
    }

    /**
     * One step over an 8-bit premultiplied backdrop: {@code dstRgba} (packed {@code 0xRRGGBBAA}) is
     * lifted exactly to the accumulator scale ({@link PixelMath#lift}), {@code srcRgba} (in {@code
     * srcMode}) blended over it at {@code opacity} with {@link #blend(int, AlphaMode, int, int[],
     * int)}, and the result rounded once to premultiplied 8 bits ({@link PixelMath#round8}).
     *
     * @return the premultiplied result, packed {@code 0xRRGGBBAA}
     */
    public int blend(int srcRgba, AlphaMode srcMode, int dstRgba, int opacity) {
        int[] acc = new int[4];
        PixelMath.lift(dstRgba, acc, 0);
        blend(srcRgba, srcMode, opacity, acc, 0);
        return PixelMath.round8(acc, 0);
    }

    /**
     * {@link #blend(int, AlphaMode, int, int)} for a premultiplied source: both pixels
     * premultiplied {@code 0xRRGGBBAA}.
     */
    public int blend(int srcRgba, int dstRgba, int opacity) {
        return blend(srcRgba, AlphaMode.PREMULTIPLIED, dstRgba, opacity);
    }
}
