package io.serigraph.engine.composite;

import io.serigraph.engine.image.AlphaMode;

/**
 * Double-precision compositing straight from the W3C Compositing and Blending Level 1 text, on
 * straight (not premultiplied) colour, for checking the integer path. Shares no code with it.
 * Pixels are premultiplied {r, g, b, a} in 0..1, never rounded, so a whole stack can be folded.
 */
final class W3cReference {
    private W3cReference() {}

    /** A straight background 0xRRGGBBAA as an exact premultiplied pixel. */
    static double[] background(int straightRgba) {
        double a = (straightRgba & 0xFF) / 255.0;
        double[] out = new double[4];
        for (int ch = 0; ch < 3; ch++) {
            out[ch] = ((straightRgba >>> (24 - 8 * ch)) & 0xFF) / 255.0 * a;
        }
        out[3] = a;
        return out;
    }

    /** A premultiplied 8-bit pixel 0xRRGGBBAA as an exact premultiplied pixel. */
    static double[] premultiplied(int rgba) {
        double[] out = new double[4];
        for (int ch = 0; ch < 4; ch++) {
            out[ch] = ((rgba >>> (24 - 8 * ch)) & 0xFF) / 255.0;
        }
        return out;
    }

    /**
     * The premultiplied result of the source pixel {@code src} (0xRRGGBBAA in {@code srcMode}), its
     * alpha multiplied by {@code opacity / 255}, over the premultiplied backdrop {@code dst}.
     */
    static double[] over(BlendMode mode, int src, AlphaMode srcMode, int opacity, double[] dst) {
        int srcA = src & 0xFF;
        double as = srcA / 255.0 * (opacity / 255.0);
        double ab = dst[3];
        double[] out = new double[4];
        for (int ch = 0; ch < 3; ch++) {
            int sample = (src >>> (24 - 8 * ch)) & 0xFF;
            double cs;
            if (srcMode == AlphaMode.STRAIGHT) {
                cs = sample / 255.0;
            } else {
                cs = srcA == 0 ? 0 : sample / (double) srcA;
            }
            double cb = ab == 0 ? 0 : dst[ch] / ab;
            if (mode == BlendMode.ADD) {
                // Porter-Duff plus / plus-lighter: co = min(1, as * Cs + ab * Cb).
                out[ch] = Math.min(1, as * cs + ab * cb);
            } else {
                // Cs' = (1 - ab) * Cs + ab * B(Cb, Cs); co = as * Cs' + ab * Cb * (1 - as).
                double mixed = (1 - ab) * cs + ab * blend(mode, cb, cs);
                out[ch] = as * mixed + ab * cb * (1 - as);
            }
        }
        out[3] = mode == BlendMode.ADD ? Math.min(1, as + ab) : as + ab * (1 - as);
        return out;
    }

    private static double blend(BlendMode mode, double cb, double cs) {
        return switch (mode) {
            case NORMAL -> cs;
            case MULTIPLY -> multiply(cb, cs);
            case SCREEN -> screen(cb, cs);
            case OVERLAY -> hardLight(cs, cb);
            case ADD -> throw new IllegalArgumentException("add is not a separable blend");
        };
    }

    private static double multiply(double cb, double cs) {
        return cb * cs;
    }

    private static double screen(double cb, double cs) {
        return cb + cs - cb * cs;
    }

    private static double hardLight(double cb, double cs) {
        return cs <= 0.5 ? multiply(cb, 2 * cs) : screen(cb, 2 * cs - 1);
    }

    /**
     * The error bound of docs/pixel-math.md ("Accuracy"), in accumulator units, after one more
     * layer on top of a backdrop carrying error {@code e}: {@code L * e + sigma + rho}.
     */
    static double nextBound(
            double e, BlendMode mode, AlphaMode srcMode, int opacity, boolean opaqueBackdrop) {
        double l;
        if (opaqueBackdrop) {
            l = mode == BlendMode.OVERLAY ? 2 : 1;
        } else {
            l = mode == BlendMode.OVERLAY ? 3 : mode == BlendMode.MULTIPLY ? 2 : 1;
        }
        double sigma = srcMode == AlphaMode.STRAIGHT && opacity != 255 ? 0.5 : 0;
        double rho = mode == BlendMode.ADD ? 0 : 0.5;
        return l * e + sigma + rho;
    }
}
