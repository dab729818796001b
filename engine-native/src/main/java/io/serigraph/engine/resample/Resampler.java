package io.serigraph.engine.resample;

import io.serigraph.engine.image.RgbaImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * Scales premultiplied RGBA8 images with a {@link ResampleFilter}, in integer arithmetic that the
 * OpenCL backend reproduces bit for bit (see {@code docs/pixel-math.md}).
 *
 * <ul>
 *   <li>{@link ResampleFilter#NEAREST}: output pixel {@code (x, y)} copies source pixel {@code
 *       (nearest(x, srcW, dstW), nearest(y, srcH, dstH))}, {@link #nearest(int, int, int)}.
 *   <li>{@link ResampleFilter#LANCZOS3}: separable, two passes: horizontal first (source rows to
 *       {@code dstW x srcH}), then vertical. Each pass accumulates {@link LanczosWeights} in int,
 *       rounds half up, and clamps to valid premultiplied RGBA8 (alpha to 0..255, colours to
 *       0..alpha). An axis whose size does not change skips its pass, which is exactly the identity
 *       pass.
 * </ul>
 *
 * Equal sizes give an exact copy with either filter.
 *
 * <p>An instance caches the tables of the size pairs it last used for each axis and its
 * intermediate buffers, so resampling token after token at the same sizes into a reused output
 * allocates nothing. It is therefore <b>not thread-safe</b>: use one per thread.
 */
public final class Resampler {
    private LanczosWeights lanczosX;
    private LanczosWeights lanczosY;
    private int[] nearestX = new int[0];
    private int nearestXSrc;
    private int[] nearestY = new int[0];
    private int nearestYSrc;
    private byte[] intermediate = new byte[0];
    private int[] rowSums = new int[0];

    /**
     * Source index of output pixel {@code dst} on an axis scaled from {@code srcSize} to {@code
     * dstSize}: {@code floor((dst + 0.5) * srcSize / dstSize)}, computed exactly as {@code ((2 *
     * dst + 1) * srcSize) / (2 * dstSize)} in 64-bit integers. Always in {@code 0..srcSize - 1}.
     */
    public static int nearest(int dst, int srcSize, int dstSize) {
        return (int) (((2L * dst + 1) * srcSize) / (2L * dstSize));
    }

    /**
     * Resamples {@code src} into {@code out}, whose size is the target size; every pixel of {@code
     * out} is overwritten.
     *
     * @throws IllegalArgumentException when {@code out} shares {@code src}'s pixel array at a
     *     different size, or either image is not {@link
     *     io.serigraph.engine.image.AlphaMode#PREMULTIPLIED}
     */
    public void resample(RgbaImage src, ResampleFilter filter, RgbaImage out) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(out, "out");
        requirePremultiplied(src, "source");
        requirePremultiplied(out, "output");
        int sw = src.width();
        int sh = src.height();
        int dw = out.width();
        int dh = out.height();
        boolean sameSize = sw == dw && sh == dh;
        if (src.pixels() == out.pixels()) {
            if (sameSize) {
                return;
            }
            throw new IllegalArgumentException(
                    "the output image shares its pixels with the "
                            + sw
                            + "x"
                            + sh
                            + " source; resampling needs a separate output");
        }
        if (sameSize) {
            System.arraycopy(src.pixels(), 0, out.pixels(), 0, out.pixels().length);
            return;
        }
        switch (filter) {
            case NEAREST -> nearest(src, out);
            case LANCZOS3 -> lanczos(src, out);
            default -> throw new AssertionError(filter);
        }
    }

    /** Resamples {@code src} into a new {@code width x height} image. */
    public RgbaImage resample(RgbaImage src, int width, int height, ResampleFilter filter) {
        RgbaImage out = new RgbaImage(width, height);
        resample(src, filter, out);
        return out;
    }

    /**
     * The Lanczos table for one axis, from this instance's cache when it was the last used for
     * either axis, else computed.
     */
    public LanczosWeights lanczosWeights(int srcSize, int dstSize) {
        if (matches(lanczosX, srcSize, dstSize)) {
            return lanczosX;
        }
        if (matches(lanczosY, srcSize, dstSize)) {
            return lanczosY;
        }
        return LanczosWeights.of(srcSize, dstSize);
    }

    private static boolean matches(LanczosWeights w, int srcSize, int dstSize) {
        return w != null && w.srcSize() == srcSize && w.dstSize() == dstSize;
    }

    private void nearest(RgbaImage src, RgbaImage out) {
        int sw = src.width();
        int dw = out.width();
        int dh = out.height();
        if (nearestX.length != dw || nearestXSrc != sw) {
            nearestX = nearestTable(sw, dw);
            nearestXSrc = sw;
        }
        if (nearestY.length != dh || nearestYSrc != src.height()) {
            nearestY = nearestTable(src.height(), dh);
            nearestYSrc = src.height();
        }
        byte[] s = src.pixels();
        byte[] d = out.pixels();
        int[] xs = nearestX;
        int[] ys = nearestY;
        int o = 0;
        for (int y = 0; y < dh; y++) {
            int row = ys[y] * sw;
            for (int x = 0; x < dw; x++) {
                int p = (row + xs[x]) * 4;
                d[o] = s[p];
                d[o + 1] = s[p + 1];
                d[o + 2] = s[p + 2];
                d[o + 3] = s[p + 3];
                o += 4;
            }
        }
    }

    private static int[] nearestTable(int srcSize, int dstSize) {
        int[] table = new int[dstSize];
        for (int i = 0; i < dstSize; i++) {
            table[i] = nearest(i, srcSize, dstSize);
        }
        return table;
    }

    private void lanczos(RgbaImage src, RgbaImage out) {
        int sw = src.width();
        int sh = src.height();
        int dw = out.width();
        int dh = out.height();
        if (sw != dw) {
            lanczosX = lanczosWeights(sw, dw);
        }
        if (sh != dh) {
            lanczosY = lanczosWeights(sh, dh);
        }
        if (sh == dh) {
            horizontal(src.pixels(), sw, sh, out.pixels(), dw, lanczosX);
        } else if (sw == dw) {
            vertical(src.pixels(), dw, sh, out.pixels(), dh, lanczosY);
        } else {
            int length = dw * sh * 4;
            if (intermediate.length < length) {
                intermediate = new byte[length];
            }
            horizontal(src.pixels(), sw, sh, intermediate, dw, lanczosX);
            vertical(intermediate, dw, sh, out.pixels(), dh, lanczosY);
        }
    }

    /** Scales each of {@code rows} rows from {@code sw} to {@code dw} pixels. */
    private static void horizontal(
            byte[] src, int sw, int rows, byte[] dst, int dw, LanczosWeights w) {
        int[] first = w.firstArray();
        int[] count = w.countArray();
        int[] weights = w.weightArray();
        int taps = w.taps();
        int o = 0;
        for (int y = 0; y < rows; y++) {
            int rowStart = y * sw;
            for (int x = 0; x < dw; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                int a = 0;
                int p = (rowStart + first[x]) * 4;
                int wi = x * taps;
                for (int k = count[x]; k > 0; k--) {
                    int wk = weights[wi++];
                    r += wk * (src[p] & 0xFF);
                    g += wk * (src[p + 1] & 0xFF);
                    b += wk * (src[p + 2] & 0xFF);
                    a += wk * (src[p + 3] & 0xFF);
                    p += 4;
                }
                store(dst, o, r, g, b, a);
                o += 4;
            }
        }
    }

    /**
     * Scales each column of a {@code width x sh} image to {@code dh} pixels. Accumulates a whole
     * output row at a time so the source is read row by row; the sums are the same as per pixel.
     */
    private void vertical(byte[] src, int width, int sh, byte[] dst, int dh, LanczosWeights w) {
        int[] first = w.firstArray();
        int[] count = w.countArray();
        int[] weights = w.weightArray();
        int taps = w.taps();
        int rowLength = width * 4;
        if (rowSums.length < rowLength) {
            rowSums = new int[rowLength];
        }
        int[] sums = rowSums;
        for (int y = 0; y < dh; y++) {
            Arrays.fill(sums, 0, rowLength, 0);
            int wi = y * taps;
            for (int k = 0; k < count[y]; k++) {
                int wk = weights[wi + k];
                int p = (first[y] + k) * rowLength;
                for (int i = 0; i < rowLength; i++) {
                    sums[i] += wk * (src[p + i] & 0xFF);
                }
            }
            int o = y * rowLength;
            for (int i = 0; i < rowLength; i += 4) {
                store(dst, o + i, sums[i], sums[i + 1], sums[i + 2], sums[i + 3]);
            }
        }
    }

    /** Rounds four sums and stores them as a valid premultiplied pixel. */
    private static void store(byte[] dst, int o, int r, int g, int b, int a) {
        int av = Math.min(255, round(a));
        dst[o] = (byte) clamp(round(r), av);
        dst[o + 1] = (byte) clamp(round(g), av);
        dst[o + 2] = (byte) clamp(round(b), av);
        dst[o + 3] = (byte) av;
    }

    /**
     * A weighted sum back to a channel value, {@code max(0, floor((sum + 8192) / 16384))}: round
     * half up, negatives to 0. Written so that no negative value is shifted.
     */
    static int round(int sum) {
        return sum <= 0 ? 0 : (sum + (LanczosWeights.ONE >> 1)) >> LanczosWeights.BITS;
    }

    /** A rounded colour clamped to {@code [0, alpha]}. */
    static int clamp(int colour, int alpha) {
        return Math.min(colour, alpha);
    }

    private static void requirePremultiplied(RgbaImage image, String role) {
        if (!image.isPremultiplied()) {
            throw new IllegalArgumentException(
                    "the "
                            + role
                            + " image is "
                            + image.alphaMode()
                            + "; resampling works on premultiplied images only");
        }
    }
}
