package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;

/**
 * Where a layer has anything to draw: for each row, the columns {@code [first, end)} outside which
 * every pixel has alpha 0 ({@code first = end = 0} for a fully transparent row). A source pixel of
 * alpha 0 leaves the accumulator unchanged in every blend mode ({@code docs/pixel-math.md},
 * "Transparent spans"), so compositors skip everything outside the spans and give the same bits;
 * trait art, mostly transparent, composites in a fraction of the work. Computed once per resident
 * layer.
 */
public final class RowSpans {
    private RowSpans() {}

    /** The spans of {@code image}: {@code 2 * height} ints, row {@code y} at {@code 2y, 2y + 1}. */
    public static int[] of(RgbaImage image) {
        int[] spans = new int[2 * image.height()];
        into(image, spans, 0);
        return spans;
    }

    /** Writes the spans of {@code image} into {@code out} from {@code offset}. */
    public static void into(RgbaImage image, int[] out, int offset) {
        byte[] p = image.pixels();
        int w = image.width();
        for (int y = 0; y < image.height(); y++) {
            int row = 4 * y * w;
            int first = 0;
            while (first < w && p[row + 4 * first + 3] == 0) {
                first++;
            }
            int end = w;
            while (end > first && p[row + 4 * (end - 1) + 3] == 0) {
                end--;
            }
            if (first == end) {
                first = 0;
                end = 0;
            }
            out[offset + 2 * y] = first;
            out[offset + 2 * y + 1] = end;
        }
    }
}
