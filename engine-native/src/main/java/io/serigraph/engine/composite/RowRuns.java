package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A layer's rows cut into runs of one kind of pixel: {@link #TRANSPARENT} (alpha 0), {@link
 * #OPAQUE} (alpha 255) and {@link #PARTIAL} (anything between), each either {@linkplain #uniform
 * uniform} (one pixel value repeated, at least {@value #MIN_UNIFORM} times) or mixed. The runs of a
 * row cover it from column 0 to its width; one transparent run holds all of a stretch of alpha 0,
 * and two mixed runs of one kind are never neighbours. The Java batch compositor reads them to
 * composite whole runs at once ({@code docs/pixel-math.md}, "Opaque runs"): where the topmost
 * non-transparent layer is opaque and blends normally at full opacity, the output is that layer's
 * pixels, copied; where every layer that shows is uniform, one pixel is blended and repeated; only
 * the rest goes through the accumulator pixel by pixel. Trait art (flat or shaded shapes with
 * anti-aliased edges over transparent surroundings) has a handful of runs per row. Each run holds
 * what the compositor reads of it: a uniform run its pixel, a mixed run where its pixels are in
 * {@link #source()}: packed apart when mixed pixels are few ({@link #PACK_BELOW}), so compositing a
 * token of random traits touches kilobytes per layer instead of a megabyte of scattered edges; the
 * image itself otherwise. Computed once per resident layer; immutable, like the image it reads.
 */
public final class RowRuns {
    /** Every pixel of the run has alpha 0. */
    public static final int TRANSPARENT = 0;

    /** Every pixel of the run has alpha 255. */
    public static final int OPAQUE = 1;

    /** Every pixel of the run has alpha 1..254. */
    public static final int PARTIAL = 2;

    /** The uniform bit of a packed run. */
    static final int UNIFORM = 4;

    /** Four bytes of a pixel as one little-endian int: alpha in the top byte. */
    private static final VarHandle PIXEL =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int width;
    private final int height;

    /** Row {@code y}'s runs are {@code runs[rowStart[y] .. rowStart[y + 1])}. */
    private final int[] rowStart;

    /** Each run as {@code end << 3 | uniform << 2 | kind}, {@code end} exclusive. */
    private final int[] runs;

    /**
     * Per run: a uniform run's pixel (four bytes as a little-endian int); for a mixed run, what to
     * add to a pixel's index in the image to find it in {@link #source}.
     */
    private final int[] values;

    /** The pixels of the mixed runs: the image's own, or only theirs, packed run after run. */
    private final byte[] source;

    private RowRuns(
            int width, int height, int[] rowStart, int[] runs, int[] values, byte[] source) {
        this.width = width;
        this.height = height;
        this.rowStart = rowStart;
        this.runs = runs;
        this.values = values;
        this.source = source;
    }

    /**
     * Mixed pixels are packed apart from the image when at most one in this many pixels is mixed:
     * then every pixel the compositor reads lies in a few kilobytes per layer, where the image's
     * scattered edge pixels would each cost a cache miss; denser art reads the image itself.
     */
    static final int PACK_BELOW = 4;

    /**
     * Shortest run of identical pixels marked {@linkplain #uniform uniform}; shorter stretches stay
     * in their kind's mixed run, so noise does not cut a row into single pixels.
     */
    static final int MIN_UNIFORM = 8;

    /** The runs of {@code image}. */
    public static RowRuns of(RgbaImage image) {
        int w = image.width();
        int h = image.height();
        byte[] p = image.pixels();
        int[] rowStart = new int[h + 1];
        Builder runs = new Builder(Math.max(16, 2 * h));
        for (int y = 0; y < h; y++) {
            rowStart[y] = runs.size;
            int row = 4 * y * w;
            int open = -1; // the kind of the mixed run being extended, or -1
            for (int x = 0; x < w; ) {
                int px = (int) PIXEL.get(p, row + 4 * x);
                int kind = kindOf(px >>> 24);
                int same = x + 1;
                if (kind == TRANSPARENT) {
                    // Colour under alpha 0 means nothing: one run for every transparent pixel.
                    while (same < w && p[row + 4 * same + 3] == 0) {
                        same++;
                    }
                } else {
                    while (same < w && (int) PIXEL.get(p, row + 4 * same) == px) {
                        same++;
                    }
                }
                boolean uniform = kind == TRANSPARENT || same - x >= MIN_UNIFORM;
                if (uniform) {
                    if (open >= 0) {
                        runs.add(x << 3 | open);
                        open = -1;
                    }
                    runs.add(same << 3 | UNIFORM | kind);
                } else if (open != kind) {
                    if (open >= 0) {
                        runs.add(x << 3 | open);
                    }
                    open = kind;
                }
                x = same;
            }
            if (open >= 0) {
                runs.add(w << 3 | open);
            }
        }
        rowStart[h] = runs.size;
        int[] packed = Arrays.copyOf(runs.runs, runs.size);
        int[] values = new int[packed.length];
        long mixed = 0;
        for (int y = 0; y < h; y++) {
            for (int r = rowStart[y], x = 0; r < rowStart[y + 1]; x = packed[r++] >>> 3) {
                if ((packed[r] & UNIFORM) == 0) {
                    mixed += (packed[r] >>> 3) - x;
                }
            }
        }
        boolean pack = mixed * PACK_BELOW <= (long) w * h;
        byte[] source = pack ? new byte[(int) (4 * mixed)] : p;
        for (int y = 0, at = 0; y < h; y++) {
            for (int r = rowStart[y], x = 0; r < rowStart[y + 1]; x = packed[r++] >>> 3) {
                int pixel = y * w + x;
                if ((packed[r] & UNIFORM) != 0) {
                    values[r] = (int) PIXEL.get(p, 4 * pixel);
                } else if (pack) {
                    int n = (packed[r] >>> 3) - x;
                    System.arraycopy(p, 4 * pixel, source, 4 * at, 4 * n);
                    values[r] = at - pixel;
                    at += n;
                }
            }
        }
        return new RowRuns(w, h, rowStart, packed, values, source);
    }

    /** A growing int array. */
    private static final class Builder {
        int[] runs;
        int size;

        Builder(int capacity) {
            runs = new int[capacity];
        }

        void add(int run) {
            if (size == runs.length) {
                runs = Arrays.copyOf(runs, 2 * size);
            }
            runs[size++] = run;
        }
    }

    private static int kindOf(int alpha) {
        return alpha == 0 ? TRANSPARENT : alpha == 255 ? OPAQUE : PARTIAL;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Index of row {@code y}'s first run. */
    public int rowStart(int y) {
        return rowStart[y];
    }

    /** Number of runs of row {@code y}. */
    public int runCount(int y) {
        return rowStart[y + 1] - rowStart[y];
    }

    /** The end column (exclusive) of run {@code index}. */
    public int end(int index) {
        return runs[index] >>> 3;
    }

    /**
     * Whether every pixel of run {@code index} is the same four bytes (always for a transparent
     * run, whose pixels draw nothing).
     */
    public boolean uniform(int index) {
        return (runs[index] & UNIFORM) != 0;
    }

    /** The kind of run {@code index}: {@link #TRANSPARENT}, {@link #OPAQUE} or {@link #PARTIAL}. */
    public int kind(int index) {
        return runs[index] & 3;
    }

    /** The packed runs ({@code end << 3 | uniform << 2 | kind}), for the compositor; not a copy. */
    int[] packed() {
        return runs;
    }

    /**
     * Per run, for the compositor (not a copy): a uniform run's pixel, as {@link #pixel}; a mixed
     * run's offset from a pixel's index in the image to its index in {@link #source()}.
     */
    int[] values() {
        return values;
    }

    /**
     * The four bytes of every pixel of uniform run {@code index} as one little-endian int (R in
     * bits 0..7, A in 24..31): the pixel the compositor blends, without reading the image.
     */
    public int pixel(int index) {
        if ((runs[index] & UNIFORM) == 0) {
            throw new IllegalArgumentException("run " + index + " is not uniform");
        }
        return values[index];
    }

    /**
     * The bytes holding mixed run pixels (not a copy): the pixel at image index {@code i} of mixed
     * run {@code index} is at pixel index {@code i + values()[index]} of these bytes.
     */
    byte[] source() {
        return source;
    }
}
