package io.serigraph.engine.composite;

/**
 * Double-precision compositing straight from the W3C Compositing and Blending Level 1 text, on
 * straight (not premultiplied) colour, for checking the integer path. Shares no code with it.
 */
final class W3cReference {
    private W3cReference() {}

    /**
     * The premultiplied result of {@code src} (premultiplied 0xRRGGBBAA, layer opacity applied to
     * its alpha) over {@code dst}, as {r, g, b, a} in 0..1.
     */
    static double[] composite(BlendMode mode, int src, int dst, int opacity) {
        int srcA = src & 0xFF;
        int dstA = dst & 0xFF;
        double as = srcA / 255.0 * (opacity / 255.0);
        double ab = dstA / 255.0;
        double[] out = new double[4];
        for (int ch = 0; ch < 3; ch++) {
            int shift = 24 - 8 * ch;
            double cs = srcA == 0 ? 0 : ((src >>> shift) & 0xFF) / (double) srcA;
            double cb = dstA == 0 ? 0 : ((dst >>> shift) & 0xFF) / (double) dstA;
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
}
