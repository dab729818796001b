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
 * anti-aliased edges over transparent surroundings) has a handful of runs per row. Computed once
 * per resident layer; immutable.
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

    private RowRuns(int width, int height, int[] rowStart, int[] runs) {
        this.width = width;
        this.height = height;
        this.rowStart = rowStart;
        this.runs = runs;
    }

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
        return new RowRuns(w, h, rowStart, Arrays.copyOf(runs.runs, runs.size));
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
}
