package io.serigraph.pipeline.rarity;

/**
 * {@code np.sum} of a float64 array, in numpy's order: its pairwise sum (fewer than 8 values one by
 * one from {@code -0.0}; up to 128 values in 8 interleaved accumulators combined as {@code
 * ((r0+r1)+(r2+r3))+((r4+r5)+(r6+ r7))}, then the remainder one by one; more values split in two
 * halves, the first a multiple of 8). Floating-point addition is not associative, so this order is
 * what makes sums match numpy's to the last bit.
 */
final class NumpySum {
    private static final int BLOCK = 128;

    private NumpySum() {}

    /** The sum of {@code a[0 .. n-1]}. */
    static double sum(double[] a, int n) {
        return pairwise(a, 0, n);
    }

    static double pairwise(double[] a, int off, int n) {
        if (n < 8) {
            double res = -0.0;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        if (n <= BLOCK) {
            double r0 = a[off];
            double r1 = a[off + 1];
            double r2 = a[off + 2];
            double r3 = a[off + 3];
            double r4 = a[off + 4];
            double r5 = a[off + 5];
            double r6 = a[off + 6];
            double r7 = a[off + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                int k = off + i;
                r0 += a[k];
                r1 += a[k + 1];
                r2 += a[k + 2];
                r3 += a[k + 3];
                r4 += a[k + 4];
                r5 += a[k + 5];
                r6 += a[k + 6];
                r7 += a[k + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
    }

    /**
     * {@code np.dot(x, y)} of two float64 vectors shaped like OpenBLAS's x86-64 {@code ddot}:
     * blocks of 16 into four 4-lane fused multiply-add accumulators, combined as {@code (acc0 +
     * acc1) + (acc2 + acc3)} lane-wise, then {@code (l0 + l2) + (l1 + l3)}; the rest added one
     * product at a time. BLAS libraries differ here, so the last bit of a long dot product may
     * differ from a given numpy build's.
     */
    static double dot(double[] x, double[] y, int n) {
        int n1 = n & -16;
        double dot = 0.0;
        if (n1 > 0) {
            double[] acc = new double[16];
            for (int i = 0; i < n1; i += 16) {
                for (int j = 0; j < 16; j++) {
                    acc[j] = Math.fma(x[i + j], y[i + j], acc[j]);
                }
            }
            double[] a = new double[4];
            for (int l = 0; l < 4; l++) {
                a[l] = (acc[l] + acc[4 + l]) + (acc[8 + l] + acc[12 + l]);
            }
            dot = (a[0] + a[2]) + (a[1] + a[3]);
        }
        for (int i = n1; i < n; i++) {
            dot += y[i] * x[i];
        }
        return dot;
    }
}
