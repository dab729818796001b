package io.serigraph.engine.resample;

import java.util.Arrays;

/**
 * The fixed-point Lanczos-3 weights that scale one axis from {@code srcSize} to {@code dstSize}
 * pixels. Output pixel {@code i} reads the {@code count(i)} source pixels starting at {@code
 * first(i)}, with integer weights that sum to exactly {@link #ONE}.
 *
 * <p>The tables are data: they are computed here once per size pair, in double precision with
 * {@link StrictMath} so every JVM produces the same integers, and an OpenCL backend uploads them
 * rather than recomputing them. Only the per-pixel accumulation ({@code docs/pixel-math.md}) is
 * implemented twice. Generation:
 *
 * <ol>
 *   <li>{@code scale = srcSize / dstSize}, {@code filterScale = max(scale, 1)} (a downscale widens
 *       the kernel by the scale factor), {@code support = 3 * filterScale}.
 *   <li>For output pixel {@code i}: {@code center = (i + 0.5) * scale}; taps {@code x} from {@code
 *       floor(center - support + 0.5)} to {@code floor(center + support + 0.5)} exclusive, each
 *       with raw weight {@code lanczos3((x + 0.5 - center) / filterScale)}, where {@code
 *       lanczos3(t)} is 1 at 0, {@code 3 sin(pi t) sin(pi t / 3) / (pi t)^2} for {@code 0 < |t| <
 *       3}, else 0.
 *   <li>A tap outside the image reads the pixel mirrored about the edge pixel's centre ({@link
 *       #reflect}, "reflect-101"): its raw weight is added to that source pixel's weight.
 *   <li>Divide each source pixel's weight by the sum of all raw weights, multiply by {@link #ONE},
 *       round half up ({@link Math#round}); add {@code ONE} minus the sum of the rounded weights to
 *       the largest one (the first in source order on a tie) so they sum to exactly {@link #ONE}.
 *   <li>Drop zero weights at both ends of the run.
 * </ol>
 *
 * <p>Equal sizes give the identity: one tap of weight {@link #ONE} per pixel. Immutable and
 * thread-safe.
 */
public final class LanczosWeights {
    /** Fractional bits of a weight. */
    public static final int BITS = 14;

    /** Weight 1.0 in fixed point: {@code 1 << 14}. */
    public static final int ONE = 1 << BITS;

    private static final int RADIUS = 3;

    private final int srcSize;
    private final int dstSize;
    private final int taps;
    private final int[] first;
    private final int[] count;
    private final int[] weights;

    private LanczosWeights(
            int srcSize, int dstSize, int taps, int[] first, int[] count, int[] weights) {
        this.srcSize = srcSize;
        this.dstSize = dstSize;
        this.taps = taps;
        this.first = first;
        this.count = count;
        this.weights = weights;
    }

    /** Computes the table for scaling an axis of {@code srcSize} pixels to {@code dstSize}. */
    public static LanczosWeights of(int srcSize, int dstSize) {
        if (srcSize <= 0 || dstSize <= 0) {
            throw new IllegalArgumentException(
                    "sizes must be positive, were " + srcSize + " -> " + dstSize);
        }
        double scale = (double) srcSize / dstSize;
        double filterScale = Math.max(scale, 1.0);
        double support = RADIUS * filterScale;
        int maxTaps = Math.min(srcSize, (int) Math.ceil(2 * support) + 2);
        int[] first = new int[dstSize];
        int[] count = new int[dstSize];
        int[] rows = new int[dstSize * maxTaps];
        double[] raw = new double[maxTaps];
        int[] fixed = new int[maxTaps];
        int taps = 1;
        for (int i = 0; i < dstSize; i++) {
            double center = (i + 0.5) * scale;
            int lo = (int) Math.floor(center - support + 0.5);
            int hi = (int) Math.floor(center + support + 0.5);
            // Taps past an edge fold back onto the image (reflect-101); the folded source indices
            // of a run of taps form one contiguous run.
            int min = srcSize;
            int max = -1;
            for (int x = lo; x < hi; x++) {
                int s = reflect(x, srcSize);
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
            int n = max - min + 1;
            Arrays.fill(raw, 0, n, 0.0);
            double sum = 0;
            for (int x = lo; x < hi; x++) {
                double w = lanczos3((x + 0.5 - center) / filterScale);
                raw[reflect(x, srcSize) - min] += w;
                sum += w;
            }
            int fixedSum = 0;
            int largest = 0;
            for (int k = 0; k < n; k++) {
                fixed[k] = (int) Math.round(raw[k] / sum * ONE);
                fixedSum += fixed[k];
                if (fixed[k] > fixed[largest]) {
                    largest = k;
                }
            }
            fixed[largest] += ONE - fixedSum;
            int start = 0;
            while (fixed[start] == 0) {
                start++;
            }
            int end = n;
            while (fixed[end - 1] == 0) {
                end--;
            }
            first[i] = min + start;
            count[i] = end - start;
            System.arraycopy(fixed, start, rows, i * maxTaps, end - start);
            taps = Math.max(taps, end - start);
        }
        int[] weights = new int[dstSize * taps];
        for (int i = 0; i < dstSize; i++) {
            System.arraycopy(rows, i * maxTaps, weights, i * taps, count[i]);
        }
        return new LanczosWeights(srcSize, dstSize, taps, first, count, weights);
    }

    /**
     * Reflect-101 edge rule: the source index that tap {@code x} reads, mirrored about the first
     * and last pixel centres ({@code -1 -> 1}, {@code n -> n - 2}), repeatedly for kernels wider
     * than the image; 0 when {@code n == 1}.
     */
    static int reflect(int x, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(x, period);
        return m < n ? m : period - m;
    }

    /** The Lanczos window with a = 3. */
    static double lanczos3(double t) {
        if (t == 0) {
            return 1;
        }
        if (t <= -RADIUS || t >= RADIUS) {
            return 0;
        }
        double pt = Math.PI * t;
        return RADIUS * StrictMath.sin(pt) * StrictMath.sin(pt / RADIUS) / (pt * pt);
    }

    public int srcSize() {
        return srcSize;
    }

    public int dstSize() {
        return dstSize;
    }

    /** The row stride of {@link #weights()}: the largest {@link #count(int)} over all pixels. */
    public int taps() {
        return taps;
    }

    /** The first source pixel output pixel {@code i} reads. */
    public int first(int i) {
        return first[i];
    }

    /** How many source pixels output pixel {@code i} reads, {@code 1..taps()}. */
    public int count(int i) {
        return count[i];
    }

    /** Weight of source pixel {@code first(i) + k} in output pixel {@code i}. */
    public int weight(int i, int k) {
        if (k < 0 || k >= count[i]) {
            throw new IndexOutOfBoundsException("tap " + k + " of " + count[i]);
        }
        return weights[i * taps + k];
    }

    /** A copy of all {@link #first(int)} values, one per output pixel (for device upload). */
    public int[] firsts() {
        return first.clone();
    }

    /** A copy of all {@link #count(int)} values, one per output pixel (for device upload). */
    public int[] counts() {
        return count.clone();
    }

    /**
     * A copy of the weights, {@link #taps()} per output pixel, row {@code i} at {@code i * taps()},
     * zero after {@code count(i)} (for device upload).
     */
    public int[] weights() {
        return weights.clone();
    }

    int[] firstArray() {
        return first;
    }

    int[] countArray() {
        return count;
    }

    int[] weightArray() {
        return weights;
    }
}
