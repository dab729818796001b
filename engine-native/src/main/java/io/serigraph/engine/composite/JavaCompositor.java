package io.serigraph.engine.composite;

import static io.serigraph.engine.composite.PixelMath.U;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The Java compositor: the reference twin of the OpenCL kernels (pixel math version 2, {@code
 * docs/pixel-math.md}). The canvas is an int accumulator at scale {@link PixelMath#U} per channel;
 * layers may be straight or premultiplied RGBA8; each step rounds once per channel with the {@link
 * PixelMath} formulas, and the result is rounded once to premultiplied RGBA8 at the end.
 *
 * <p>The whole stack is folded over one strip of {@link #STRIP} pixels at a time, so the
 * accumulator (allocated once per compositor) stays in the CPU cache; nothing is allocated per call
 * or per pixel. One tight loop per blend mode. Shortcuts are taken only where they give exactly the
 * bits of the full formula: a source pixel whose alpha is 0 (or a layer at opacity 0) leaves the
 * accumulator unchanged in every mode, an opaque source pixel at opacity 255 in {@link
 * BlendMode#NORMAL} replaces it, and normal at opacity 255 divides by 255 in 32 bits instead of by
 * {@code U} in 64 ({@code divRound(255 x, U) = divRound(x, 255)}).
 *
 * <p>Premultiplied layers must be valid (each colour at most its alpha), as every premultiplied
 * image the engine makes is; straight layers are always valid.
 *
 * <p>Holds its accumulator, so it is <b>not thread-safe: use one per thread</b>. {@link #close()}
 * does nothing.
 */
public final class JavaCompositor implements Compositor {
    /** Pixels per strip: a 16 KiB accumulator, well inside a first-level data cache. */
    static final int STRIP = 1024;

    /**
     * Four bytes R, G, B, A read as one little-endian int: R in bits 0..7, G 8..15, B 16..23, A
     * 24..31.
     */
    private static final VarHandle PIXEL =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** R, G, B, A per pixel of the current strip, each {@code 0..U}. */
    private final int[] acc = new int[STRIP * 4];

    /** The background on the accumulator scale. */
    private final int[] background = new int[4];

    /** Per layer of the run-wise composite: its current run in the row, its kind, its runs. */
    private int[] cursor = new int[0];

    private int[] kinds = new int[0];
    private int[][] packed = new int[0][];
    private int[][] values = new int[0][];
    private byte[][] sources = new byte[0][];

    /** Per layer of the current piece: its run's pixel (uniform) or source offset (mixed). */
    private int[] offsets = new int[0];

    /** One strip of a uniform run's pixel repeated, blended like any other source. */
    private final byte[] repeated = new byte[STRIP * 4];

    @Override
    public void composite(List<LayerOp> layers, int backgroundRgba, RgbaImage out) {
        Compositor.checkArguments(layers, out);
        int count = layers.size();
        byte[] dst = out.pixels();
        int pixels = dst.length / 4;
        int[] bg = background;
        PixelMath.background(backgroundRgba, bg, 0);
        for (int start = 0; start < pixels; start += STRIP) {
            int len = Math.min(STRIP, pixels - start);
            fill(len, bg[0], bg[1], bg[2], bg[3]);
            for (int i = 0; i < count; i++) {
                LayerOp layer = layers.get(i);
                RgbaImage image = layer.image();
                blend(
                        image.pixels(),
                        image.alphaMode() == AlphaMode.STRAIGHT,
                        layer.mode(),
                        layer.opacity(),
                        start,
                        len,
                        0);
            }
            store(dst, start, len);
        }
    }

    /**
     * As {@link #composite(List, int, RgbaImage)}, a row at a time and a run at a time, where
     * {@code runs.get(i)} are the {@link RowRuns} of layer {@code i}'s image: the same bits ({@code
     * docs/pixel-math.md}, "Opaque runs"). Each row is cut where any layer that matters changes
     * kind; for each piece, the layers are read top down to the first that is opaque there and
     * blends normally at full opacity (the base, which replaces everything below it). When no layer
     * above the base draws anything there, the piece is the base's pixels, copied (or the
     * background, filled); when every layer that shows is uniform there, its first pixel is blended
     * and repeated; otherwise only the base and the layers above it are blended, in the
     * accumulator, and the piece rounded as usual. Layers below the base are not read at all, and
     * the images themselves are not either: a uniform run's pixel and a mixed run's pixels come
     * from its {@link RowRuns} ({@link RowRuns#source()}, a few kilobytes for trait art).
     */
    void composite(List<LayerOp> layers, List<RowRuns> runs, int backgroundRgba, RgbaImage out) {
        Compositor.checkArguments(layers, out);
        int count = layers.size();
        if (runs.size() != count) {
            throw new IllegalArgumentException(runs.size() + " row runs for " + count + " layers");
        }
        byte[] dst = out.pixels();
        int width = out.width();
        int height = out.height();
        if (cursor.length < count) {
            cursor = new int[count];
            kinds = new int[count];
            packed = new int[count][];
            values = new int[count][];
            sources = new byte[count][];
            offsets = new int[count];
        }
        int[] cursor = this.cursor;
        int[][] packed = this.packed;
        int[][] values = this.values;
        byte[][] sources = this.sources;
        for (int i = 0; i < count; i++) {
            RowRuns r = runs.get(i);
            if (r.width() != width || r.height() != height) {
                throw new IllegalArgumentException(
                        "row runs "
                                + i
                                + " are "
                                + r.width()
                                + "x"
                                + r.height()
                                + ", not "
                                + width
                                + "x"
                                + height);
            }
            packed[i] = r.packed();
            values[i] = r.values();
            sources[i] = r.source();
        }
        int[] bg = background;
        PixelMath.background(backgroundRgba, bg, 0);
        int bg8 =
                PixelMath.to8(bg[0])
                        | PixelMath.to8(bg[1]) << 8
                        | PixelMath.to8(bg[2]) << 16
                        | PixelMath.to8(bg[3]) << 24;
        for (int y = 0, rowPixel = 0; y < height; y++, rowPixel += width) {
            for (int i = 0; i < count; i++) {
                cursor[i] = runs.get(i).rowStart(y);
            }
            compositeRow(layers, bg, bg8, rowPixel, width, dst);
        }
    }

    /**
     * One row of the run-wise composite, its layers' cursors at the row's first runs. A method of
     * its own, called per row: the JIT compiles it once; as the body of the per-token loop it made
     * the JIT compile all of {@code composite} again on-stack for each of its loops.
     */
    private void compositeRow(
            List<LayerOp> layers, int[] bg, int bg8, int rowPixel, int width, byte[] dst) {
        int count = layers.size();
        int[] cursor = this.cursor;
        int[] kinds = this.kinds;
        int[][] packed = this.packed;
        int[][] values = this.values;
        byte[][] sources = this.sources;
        int[] offsets = this.offsets;
        for (int x = 0; x < width; ) {
            int end = width;
            int base = -1;
            boolean blend = false;
            boolean uniform = true;
            for (int i = count - 1; i >= 0; i--) {
                LayerOp layer = layers.get(i);
                if (layer.opacity() == 0) {
                    kinds[i] = RowRuns.TRANSPARENT; // draws nothing anywhere
                    continue;
                }
                int[] r = packed[i];
                int c = cursor[i];
                while (r[c] >>> 3 <= x) {
                    c++;
                }
                cursor[i] = c;
                end = Math.min(end, r[c] >>> 3);
                int kind = r[c] & 3;
                kinds[i] = r[c] & (RowRuns.UNIFORM | 3);
                offsets[i] = values[i][c];
                uniform &= (r[c] & RowRuns.UNIFORM) != 0;
                if (kind == RowRuns.OPAQUE
                        && layer.mode() == BlendMode.NORMAL
                        && layer.opacity() == 255) {
                    base = i;
                    break;
                }
                blend |= kind != RowRuns.TRANSPARENT;
            }
            int at = rowPixel + x;
            int len = end - x;
            if (blend && uniform && len > 1) {
                // One pixel value over the whole piece in every layer that shows: blend one.
                blendPiece(layers, base, bg, at, 1, dst);
                repeat(dst, at + 1, len - 1, (int) PIXEL.get(dst, 4 * at));
            } else if (blend) {
                blendPiece(layers, base, bg, at, len, dst);
            } else if (base < 0) {
                repeat(dst, at, len, bg8);
            } else if ((kinds[base] & RowRuns.UNIFORM) != 0) {
                repeat(dst, at, len, offsets[base]);
            } else {
                int from = 4 * (at + offsets[base]);
                System.arraycopy(sources[base], from, dst, 4 * at, 4 * len);
            }
            x = end;
        }
    }

    /**
     * Pixels {@code [at, at + len)}: from the background (no {@code base}) or from layer {@code
     * base}, every layer above whose kind here is not transparent blended in, then rounded into
     * {@code dst}; in pieces of at most {@link #STRIP} pixels. Each layer's pixels come from its
     * run ({@code kinds}, {@code offsets}): a uniform run's one pixel repeated, a mixed run's
     * pixels from its {@link RowRuns#source()}.
     */
    private void blendPiece(List<LayerOp> layers, int base, int[] bg, int at, int len, byte[] dst) {
        int count = layers.size();
        int[] kinds = this.kinds;
        int[] offsets = this.offsets;
        byte[][] sources = this.sources;
        for (int from = at, stop = at + len; from < stop; from += STRIP) {
            int n = Math.min(STRIP, stop - from);
            if (base < 0) {
                fill(n, bg[0], bg[1], bg[2], bg[3]);
            }
            for (int i = Math.max(base, 0); i < count; i++) {
                int kind = kinds[i];
                if ((kind & 3) == RowRuns.TRANSPARENT) {
                    continue;
                }
                LayerOp layer = layers.get(i);
                boolean straight = layer.image().alphaMode() == AlphaMode.STRAIGHT;
                byte[] src = sources[i];
                int start = from + offsets[i];
                if ((kind & RowRuns.UNIFORM) != 0) {
                    repeat(repeated, 0, n, offsets[i]);
                    src = repeated;
                    start = 0;
                }
                blend(src, straight, layer.mode(), layer.opacity(), start, n, 0);
            }
            store(dst, from, n);
        }
    }

    /** Pixels {@code [at, at + len)} of {@code dst} set to {@code pixel}'s four bytes. */
    private static void repeat(byte[] dst, int at, int len, int pixel) {
        for (int k = 4 * at, stop = 4 * (at + len); k < stop; k += 4) {
            PIXEL.set(dst, k, pixel);
        }
    }

    /** Does nothing: the Java compositor holds only heap memory. */
    @Override
    public void close() {}

    private void fill(int len, int r, int g, int b, int a) {
        int[] acc = this.acc;
        acc[0] = r;
        acc[1] = g;
        acc[2] = b;
        acc[3] = a;
        int end = 4 * len;
        for (int done = 4; done < end; done += done) {
            System.arraycopy(acc, 0, acc, done, Math.min(done, end - done));
        }
    }

    /**
     * The strip's accumulator rounded once to premultiplied RGBA8: {@link PixelMath#round8} without
     * its {@code min(p8, a8)}, which never changes a value here. Every accumulator pixel satisfies
     * {@code P <= A} (the background does, and every step ends with the clamp), and {@code div255}
     * is monotone.
     */
    private void store(byte[] dst, int start, int len) {
        int[] acc = this.acc;
        for (int k = 0, d = 4 * start; k < 4 * len; k++, d++) {
            dst[d] = (byte) PixelMath.to8(acc[k]);
        }
    }

    /**
     * Blends pixels {@code start .. start + len - 1} of {@code src} (a layer's RGBA8, straight or
     * premultiplied) onto the strip, from its pixel {@code at}.
     */
    private void blend(
            byte[] src, boolean straight, BlendMode mode, int opacity, int start, int len, int at) {
        if (opacity == 0) {
            return; // every source alpha is 0: the accumulator stays as it is
        }
        switch (mode) {
            case NORMAL -> {
                if (opacity == 255) {
                    normalOpaque(src, straight, start, len, at);
                } else {
                    normal(src, straight, opacity, start, len, at);
                }
            }
            case MULTIPLY -> multiply(src, straight, opacity, start, len, at);
            case SCREEN -> screen(src, straight, opacity, start, len, at);
            case OVERLAY -> overlay(src, straight, opacity, start, len, at);
            case ADD -> add(src, straight, opacity, start, len, at);
            default -> throw new AssertionError(mode);
        }
    }

    /**
     * One source colour channel {@code c} (8 bits, from a pixel of alpha {@code a}) on the
     * accumulator scale.
     */
    private static int source(int c, int a, int opacity, boolean straight) {
        if (!straight) {
            return c * opacity;
        }
        return opacity == 255 ? c * a : PixelMath.straightSource(c, a, opacity);
    }

    /**
     * normal at opacity 255: {@code U - as = 255 (255 - a)}, so each {@code divRound(x (U - as),
     * U)} is {@code divRound(x (255 - a), 255)}, in 32 bits ({@code x (255 - a) <= U * 255 <
     * 2^24}).
     */
    private void normalOpaque(byte[] src, boolean straight, int start, int len, int at) {
        int[] acc = this.acc;
        for (int j = 0, k = 4 * at, s = 4 * start; j < len; j++, k += 4, s += 4) {
            int p = (int) PIXEL.get(src, s);
            int a = p >>> 24;
            if (a == 0) {
                continue;
            }
            int r = p & 0xFF;
            int g = (p >>> 8) & 0xFF;
            int b = (p >>> 16) & 0xFF;
            if (a == 255) {
                // as = U: co = cs = 255 c (straight c * a, premultiplied p * 255), ao = U.
                acc[k] = 255 * r;
                acc[k + 1] = 255 * g;
                acc[k + 2] = 255 * b;
                acc[k + 3] = U;
                continue;
            }
            int ms = straight ? a : 255;
            int inv = 255 - a;
            int ao = 255 * a + (acc[k + 3] * inv + 127) / 255;
            acc[k] = Math.min(r * ms + (acc[k] * inv + 127) / 255, ao);
            acc[k + 1] = Math.min(g * ms + (acc[k + 1] * inv + 127) / 255, ao);
            acc[k + 2] = Math.min(b * ms + (acc[k + 2] * inv + 127) / 255, ao);
            acc[k + 3] = ao;
        }
    }

    private void normal(byte[] src, boolean straight, int opacity, int start, int len, int at) {
        int[] acc = this.acc;
        for (int j = 0, k = 4 * at, s = 4 * start; j < len; j++, k += 4, s += 4) {
            int p = (int) PIXEL.get(src, s);
            int a = p >>> 24;
            if (a == 0) {
                continue;
            }
            int as = a * opacity;
            int ao = PixelMath.overAlpha(as, acc[k + 3]);
            int r = PixelMath.normal(source(p & 0xFF, a, opacity, straight), as, acc[k]);
            int g =
                    PixelMath.normal(
                            source((p >>> 8) & 0xFF, a, opacity, straight), as, acc[k + 1]);
            int b =
                    PixelMath.normal(
                            source((p >>> 16) & 0xFF, a, opacity, straight), as, acc[k + 2]);
            acc[k] = PixelMath.clamp(r, ao);
            acc[k + 1] = PixelMath.clamp(g, ao);
            acc[k + 2] = PixelMath.clamp(b, ao);
            acc[k + 3] = ao;
        }
    }

    private void multiply(byte[] src, boolean straight, int opacity, int start, int len, int at) {
        int[] acc = this.acc;
        for (int j = 0, k = 4 * at, s = 4 * start; j < len; j++, k += 4, s += 4) {
            int p = (int) PIXEL.get(src, s);
            int a = p >>> 24;
            if (a == 0) {
                continue;
            }
            int as = a * opacity;
            int ab = acc[k + 3];
            int ao = PixelMath.overAlpha(as, ab);
            int r = PixelMath.multiply(source(p & 0xFF, a, opacity, straight), as, acc[k], ab);
            int g =
                    PixelMath.multiply(
                            source((p >>> 8) & 0xFF, a, opacity, straight), as, acc[k + 1], ab);
            int b =
                    PixelMath.multiply(
                            source((p >>> 16) & 0xFF, a, opacity, straight), as, acc[k + 2], ab);
            acc[k] = PixelMath.clamp(r, ao);
            acc[k + 1] = PixelMath.clamp(g, ao);
            acc[k + 2] = PixelMath.clamp(b, ao);
            acc[k + 3] = ao;
        }
    }

    private void screen(byte[] src, boolean straight, int opacity, int start, int len, int at) {
        int[] acc = this.acc;
        for (int j = 0, k = 4 * at, s = 4 * start; j < len; j++, k += 4, s += 4) {
            int p = (int) PIXEL.get(src, s);
            int a = p >>> 24;
            if (a == 0) {
                continue;
            }
            int as = a * opacity;
            int ao = PixelMath.overAlpha(as, acc[k + 3]);
            int r = PixelMath.screen(source(p & 0xFF, a, opacity, straight), acc[k]);
            int g = PixelMath.screen(source((p >>> 8) & 0xFF, a, opacity, straight), acc[k + 1]);
            int b = PixelMath.screen(source((p >>> 16) & 0xFF, a, opacity, straight), acc[k + 2]);
            acc[k] = PixelMath.clamp(r, ao);
            acc[k + 1] = PixelMath.clamp(g, ao);
            acc[k + 2] = PixelMath.clamp(b, ao);
            acc[k + 3] = ao;
        }
    }

    private void overlay(byte[] src, boolean straight, int opacity, int start, int len, int at) {
        int[] acc = this.acc;
        for (int j = 0, k = 4 * at, s = 4 * start; j < len; j++, k += 4, s += 4) {
            int p = (int) PIXEL.get(src, s);
            int a = p >>> 24;
            if (a == 0) {
                continue;
            }
            int as = a * opacity;
            int ab = acc[k + 3];
            int ao = PixelMath.overAlpha(as, ab);
            int r = PixelMath.overlay(source(p & 0xFF, a, opacity, straight), as, acc[k], ab);
            int g =
                    PixelMath.overlay(
                            source((p >>> 8) & 0xFF, a, opacity, straight), as, acc[k + 1], ab);
            int b =
                    PixelMath.overlay(
                            source((p >>> 16) & 0xFF, a, opacity, straight), as, acc[k + 2], ab);
            acc[k] = PixelMath.clamp(r, ao);
            acc[k + 1] = PixelMath.clamp(g, ao);
            acc[k + 2] = PixelMath.clamp(b, ao);
            acc[k + 3] = ao;
        }
    }

    private void add(byte[] src, boolean straight, int opacity, int start, int len, int at) {
        int[] acc = this.acc;
        for (int j = 0, k = 4 * at, s = 4 * start; j < len; j++, k += 4, s += 4) {
            int p = (int) PIXEL.get(src, s);
            int a = p >>> 24;
            if (a == 0) {
                continue;
            }
            int ao = PixelMath.add(a * opacity, acc[k + 3]);
            int r = PixelMath.add(source(p & 0xFF, a, opacity, straight), acc[k]);
            int g = PixelMath.add(source((p >>> 8) & 0xFF, a, opacity, straight), acc[k + 1]);
            int b = PixelMath.add(source((p >>> 16) & 0xFF, a, opacity, straight), acc[k + 2]);
            acc[k] = PixelMath.clamp(r, ao);
            acc[k + 1] = PixelMath.clamp(g, ao);
            acc[k + 2] = PixelMath.clamp(b, ao);
            acc[k + 3] = ao;
        }
    }
}
