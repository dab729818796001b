package io.serigraph.engine.resample;

import io.serigraph.engine.image.RgbaImage;

/**
 * An independent double-precision Lanczos-3 resampler for checking the fixed-point one: same
 * kernel, same edge rule (taps past an edge mirrored about the edge pixel's centre), same pass
 * order and 8-bit clamped intermediate, but weights and sums kept in double.
 */
final class LanczosReference {
    private LanczosReference() {}

    static double kernel(double t) {
        if (Math.abs(t) < 1e-12) {
            return 1;
        }
        if (Math.abs(t) >= 3) {
            return 0;
        }
        return Math.sin(Math.PI * t)
                / (Math.PI * t)
                * Math.sin(Math.PI * t / 3)
                / (Math.PI * t / 3);
    }

    /** The source pixel a tap at {@code x} reads: mirrored about the edge pixels' centres. */
    static int mirror(int x, int n) {
        if (n == 1) {
            return 0;
        }
        while (x < 0 || x >= n) {
            x = x < 0 ? -x : 2 * (n - 1) - x;
        }
        return x;
    }

    /** All normalised weights of output pixel {@code i}, indexed by source pixel. */
    static double[] allWeights(int srcSize, int dstSize, int i) {
        double scale = (double) srcSize / dstSize;
        double widen = Math.max(1, scale);
        double centre = (i + 0.5) * scale;
        double[] w = new double[srcSize];
        double sum = 0;
        int from = (int) Math.floor(centre - 3 * widen) - 1;
        int to = (int) Math.ceil(centre + 3 * widen) + 1;
        for (int x = from; x <= to; x++) {
            double k = kernel((x + 0.5 - centre) / widen);
            w[mirror(x, srcSize)] += k;
            sum += k;
        }
        for (int x = 0; x < srcSize; x++) {
            w[x] /= sum;
        }
        return w;
    }

    /**
     * Normalised weights of output pixel {@code i} for source pixels {@code first..first+count}.
     */
    static double[] weights(int srcSize, int dstSize, int i, int first, int count) {
        double[] all = allWeights(srcSize, dstSize, i);
        double[] w = new double[count];
        System.arraycopy(all, first, w, 0, count);
        return w;
    }

    /** Resamples into straight byte values, R, G, B, A per pixel. */
    static int[] resample(RgbaImage src, int dstW, int dstH) {
        int sw = src.width();
        int sh = src.height();
        int[] in = new int[sw * sh * 4];
        for (int i = 0; i < in.length; i++) {
            in[i] = src.pixels()[i] & 0xFF;
        }
        int[] mid = sw == dstW ? in : pass(in, sw, sh, dstW, true);
        return sh == dstH ? mid : pass(mid, dstW, sh, dstH, false);
    }

    private static int[] pass(int[] in, int width, int height, int dstSize, boolean horizontal) {
        int srcSize = horizontal ? width : height;
        int outW = horizontal ? dstSize : width;
        int outH = horizontal ? height : dstSize;
        int[] out = new int[outW * outH * 4];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                double[] w = allWeights(srcSize, dstSize, horizontal ? x : y);
                double[] acc = new double[4];
                for (int s = 0; s < srcSize; s++) {
                    if (w[s] == 0) {
                        continue;
                    }
                    int p = horizontal ? (y * width + s) * 4 : (s * width + x) * 4;
                    for (int c = 0; c < 4; c++) {
                        acc[c] += w[s] * in[p + c];
                    }
                }
                int o = (y * outW + x) * 4;
                int a = (int) Math.max(0, Math.min(255, Math.round(acc[3])));
                for (int c = 0; c < 3; c++) {
                    out[o + c] = (int) Math.max(0, Math.min(a, Math.round(acc[c])));
                }
                out[o + 3] = a;
            }
        }
        return out;
    }
}
