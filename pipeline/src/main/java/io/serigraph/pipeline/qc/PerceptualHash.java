package io.serigraph.pipeline.qc;

import io.serigraph.engine.image.RgbaImage;

/**
 * The standard 64-bit DCT perceptual hash (pHash): the image composited over black, to greyscale
 * (Rec. 601 luma), box-averaged down to 32x32, a 2-D DCT-II, the top-left 8x8 block of
 * coefficients, each AC coefficient set to 1 when above the median of the 63 AC coefficients; the
 * DC bit (bit 0) is always 0. Bit {@code 8*u + v} is coefficient (u, v), u the vertical frequency.
 * Similar images have hashes a small Hamming distance apart. Not thread-safe: one per thread.
 */
public final class PerceptualHash {
    private static final int N = 32;
    private static final int K = 8;
    private static final double[][] COS = new double[K][N];

    static {
        for (int u = 0; u < K; u++) {
            for (int x = 0; x < N; x++) {
                COS[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2.0 * N));
            }
        }
    }

    private final double[] grey = new double[N * N];
    private final double[] weight = new double[N * N];
    private final double[] rows = new double[K * N];
    private final double[] coefficients = new double[K * K];
    private final double[] sorted = new double[K * K - 1];

    /** The hash of a straight or premultiplied image. */
    public long hash(RgbaImage image) {
        java.util.Arrays.fill(grey, 0);
        java.util.Arrays.fill(weight, 0);
        int w = image.width();
        int h = image.height();
        byte[] p = image.pixels();
        boolean premultiplied = image.isPremultiplied();
        for (int y = 0; y < h; y++) {
            int cy = (int) ((long) y * N / h);
            for (int x = 0; x < w; x++) {
                int cx = (int) ((long) x * N / w);
                int i = (y * w + x) * 4;
                double luma =
                        0.299 * (p[i] & 0xFF)
                                + 0.587 * (p[i + 1] & 0xFF)
                                + 0.114 * (p[i + 2] & 0xFF);
                if (!premultiplied) {
                    luma = luma * (p[i + 3] & 0xFF) / 255.0;
                }
                grey[cy * N + cx] += luma;
                weight[cy * N + cx] += 1;
            }
        }
        for (int c = 0; c < N * N; c++) {
            if (weight[c] > 0) {
                grey[c] /= weight[c];
            }
        }
        return fromGrey(grey, rows, coefficients, sorted);
    }

    /** The hash of a 32x32 greyscale image, row by row. */
    public static long hash32(double[] grey32) {
        if (grey32.length != N * N) {
            throw new IllegalArgumentException("need " + N * N + " samples, got " + grey32.length);
        }
        return fromGrey(grey32, new double[K * N], new double[K * K], new double[K * K - 1]);
    }

    private static long fromGrey(
            double[] grey, double[] rows, double[] coefficients, double[] sorted) {
        // DCT along x for the first K frequencies of each row, then along y.
        for (int y = 0; y < N; y++) {
            for (int v = 0; v < K; v++) {
                double s = 0;
                for (int x = 0; x < N; x++) {
                    s += grey[y * N + x] * COS[v][x];
                }
                rows[v * N + y] = s;
            }
        }
        for (int u = 0; u < K; u++) {
            for (int v = 0; v < K; v++) {
                double s = 0;
                for (int y = 0; y < N; y++) {
                    s += rows[v * N + y] * COS[u][y];
                }
                coefficients[u * K + v] = s;
            }
        }
        System.arraycopy(coefficients, 1, sorted, 0, K * K - 1);
        java.util.Arrays.sort(sorted);
        double median = sorted[(K * K - 1) / 2];
        long bits = 0;
        for (int i = 1; i < K * K; i++) {
            if (coefficients[i] > median) {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    /** The number of bits in which two hashes differ. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }
}
