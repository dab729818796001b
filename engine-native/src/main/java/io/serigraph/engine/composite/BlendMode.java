package io.serigraph.engine.composite;

import java.util.Locale;

/**
 * How a layer is combined with what lies below it: the W3C Compositing and Blending Level 1 modes,
 * on premultiplied RGBA8 integers. The exact formulas, rounding included, are in {@code
 * docs/pixel-math.md} and {@link PixelMath}; every compute path reproduces them bit for bit.
 *
 * <p>Every mode first scales all four channels of the source pixel by the layer opacity ({@link
 * PixelMath#scale}), and always yields valid premultiplied output (each colour at most its alpha).
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
    /** Porter-Duff plus ("plus-lighter"): colours and alphas add, clamped to 255. */
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
     * Blends one pixel: the premultiplied source {@code srcRgba} at layer opacity {@code opacity}
     * ({@code 0..255}) over the premultiplied backdrop {@code dstRgba}, both packed as {@code
     * 0xRRGGBBAA} like {@link io.serigraph.engine.image.RgbaImage#rgba}. This is the per-pixel
     * definition every compositor implements; it is not the fast path.
     *
     * @return the premultiplied result, packed {@code 0xRRGGBBAA}
     */
    public int blend(int srcRgba, int dstRgba, int opacity) {
        if (opacity < 0 || opacity > 255) {
            throw new IllegalArgumentException("opacity must be in 0..255, was " + opacity);
        }
        int as = PixelMath.scale(srcRgba & 0xFF, opacity);
        int rs = PixelMath.scale(srcRgba >>> 24, opacity);
        int gs = PixelMath.scale((srcRgba >>> 16) & 0xFF, opacity);
        int bs = PixelMath.scale((srcRgba >>> 8) & 0xFF, opacity);
        int ab = dstRgba & 0xFF;
        int rb = dstRgba >>> 24;
        int gb = (dstRgba >>> 16) & 0xFF;
        int bb = (dstRgba >>> 8) & 0xFF;
        int r;
        int g;
        int b;
        int a;
        switch (this) {
            case NORMAL -> {
                r = PixelMath.normal(rs, as, rb);
                g = PixelMath.normal(gs, as, gb);
                b = PixelMath.normal(bs, as, bb);
                a = PixelMath.overAlpha(as, ab);
            }
            case MULTIPLY -> {
                r = PixelMath.multiply(rs, as, rb, ab);
                g = PixelMath.multiply(gs, as, gb, ab);
                b = PixelMath.multiply(bs, as, bb, ab);
                a = PixelMath.overAlpha(as, ab);
            }
            case SCREEN -> {
                r = PixelMath.screen(rs, rb);
                g = PixelMath.screen(gs, gb);
                b = PixelMath.screen(bs, bb);
                a = PixelMath.overAlpha(as, ab);
            }
            case OVERLAY -> {
                r = PixelMath.overlay(rs, as, rb, ab);
                g = PixelMath.overlay(gs, as, gb, ab);
                b = PixelMath.overlay(bs, as, bb, ab);
                a = PixelMath.overAlpha(as, ab);
            }
            case ADD -> {
                r = PixelMath.add(rs, rb);
                g = PixelMath.add(gs, gb);
                b = PixelMath.add(bs, bb);
                a = PixelMath.add(as, ab);
            }
            default -> throw new AssertionError(this);
        }
        return r << 24 | g << 16 | b << 8 | a;
    }
}
