package io.serigraph.inference.clip;

/**
 * Pillow's bicubic resize of 8-bit images ({@code Image.resize(size, Image.BICUBIC)}, the resize in
 * CLIP's torchvision transform), reproduced bit for bit: the cubic kernel with {@code a = -0.5},
 * its support widened by the scale when downscaling (antialiasing), weights normalized per output
 * pixel then rounded to 22-bit fixed point, a horizontal pass then a vertical pass, each rounding
 * and clamping to 0..255 (Pillow's {@code libImaging/Resample.c}).
 *
 * <p>Works on interleaved 8-bit pixels with {@code channels} bytes each. Only the output window
 * {@code [x0, x0 + w) x [y0, y0 + h)} of the full {@code outWidth x outHeight} resize is computed,
 * which equals resizing then cropping.
 */
final class PilBicubic {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilBicubic() {}

    /** Per output pixel: the first input index, the number of taps, and fixed-point weights. */
    record Coefficients(int[] first, int[] count, int[] weights, int ksize) {}

    static double filter(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Pillow's {@code precompute_coeffs} then {@code normalize_coeffs_8bpc}. */
    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) ((float) inSize - 0f) / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = 2.0 * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double w = filter((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                if (ww != 0.0) {
                    k[x] /= ww;
                }
            }
            for (int x = 0; x < xmax; x++) {
                double v = k[x] * (1 << PRECISION_BITS);
                weights[xx * ksize + x] = v < 0 ? (int) (-0.5 + v) : (int) (0.5 + v);
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(first, count, weights, ksize);
    }

    private static int clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) {
            return 255;
        }
        if (v <= 0) {
            return 0;
        }
        return v >> PRECISION_BITS;
    }

    /**
     * Resizes {@code in} ({@code inWidth x inHeight}, {@code channels} bytes a pixel) to {@code
     * outWidth x outHeight} and returns the window at ({@code x0}, {@code y0}) of size {@code w x
     * h}, interleaved like the input.
     */
    static byte[] resize(
            byte[] in,
            int inWidth,
            int inHeight,
            int channels,
            int outWidth,
            int outHeight,
            int x0,
            int y0,
            int w,
            int h) {
        boolean horizontal = outWidth != inWidth;
        boolean vertical = outHeight != inHeight;
        Coefficients cv = vertical ? coefficients(inHeight, outHeight) : null;
        // Input rows the window's output rows read (all of them when there is no vertical pass).
        int rowFirst = vertical ? cv.first()[y0] : y0;
        int rowEnd = vertical ? cv.first()[y0 + h - 1] + cv.count()[y0 + h - 1] : y0 + h;
        int rows = rowEnd - rowFirst;

        // Horizontal pass: rows [rowFirst, rowEnd) of the input -> w columns.
        byte[] temp;
        if (horizontal) {
            Coefficients ch = coefficients(inWidth, outWidth);
            temp = new byte[rows * w * channels];
            int[] ss = new int[channels];
            for (int y = 0; y < rows; y++) {
                int inRow = (rowFirst + y) * inWidth * channels;
                for (int xx = 0; xx < w; xx++) {
                    int ox = x0 + xx;
                    int xmin = ch.first()[ox];
                    int n = ch.count()[ox];
                    int kOff = ox * ch.ksize();
                    java.util.Arrays.fill(ss, 1 << (PRECISION_BITS - 1));
                    for (int x = 0; x < n; x++) {
                        int weight = ch.weights()[kOff + x];
                        int p = inRow + (x + xmin) * channels;
                        for (int c = 0; c < channels; c++) {
                            ss[c] += (in[p + c] & 0xFF) * weight;
                        }
                    }
                    int o = (y * w + xx) * channels;
                    for (int c = 0; c < channels; c++) {
                        temp[o + c] = (byte) clip8(ss[c]);
                    }
                }
            }
        } else {
            temp = new byte[rows * w * channels];
            for (int y = 0; y < rows; y++) {
                System.arraycopy(
                        in,
                        ((rowFirst + y) * inWidth + x0) * channels,
                        temp,
                        y * w * channels,
                        w * channels);
            }
        }
        if (!vertical) {
            return temp; // rows == h, starting at y0
        }
        // Vertical pass over the temp rows (offset by rowFirst).
        byte[] out = new byte[w * h * channels];
        int[] ss = new int[channels];
        for (int yy = 0; yy < h; yy++) {
            int oy = y0 + yy;
            int ymin = cv.first()[oy] - rowFirst;
            int n = cv.count()[oy];
            int kOff = oy * cv.ksize();
            for (int xx = 0; xx < w; xx++) {
                java.util.Arrays.fill(ss, 1 << (PRECISION_BITS - 1));
                for (int y = 0; y < n; y++) {
                    int weight = cv.weights()[kOff + y];
                    int p = ((y + ymin) * w + xx) * channels;
                    for (int c = 0; c < channels; c++) {
                        ss[c] += (temp[p + c] & 0xFF) * weight;
                    }
                }
                int o = (yy * w + xx) * channels;
                for (int c = 0; c < channels; c++) {
                    out[o + c] = (byte) clip8(ss[c]);
                }
            }
        }
        return out;
    }
}
