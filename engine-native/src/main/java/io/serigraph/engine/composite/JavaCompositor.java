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

    @Override
    public void composite(List<LayerOp> layers, int backgroundRgba, RgbaImage out) {
        composite(layers, null, backgroundRgba, out);
    }

    /**
     * As {@link #composite(List, int, RgbaImage)}, reading layer {@code i} only inside its {@link
     * RowSpans} {@code spans.get(i)} ({@code null}: all of it). The same bits: outside its spans a
     * layer is transparent.
     */
    void composite(List<LayerOp> layers, List<int[]> spans, int backgroundRgba, RgbaImage out) {
        Compositor.checkArguments(layers, out);
        int count = layers.size();
        byte[] dst = out.pixels();
        int width = out.width();
        int pixels = dst.length / 4;
        int[] bg = background;
        PixelMath.background(backgroundRgba, bg, 0);
        for (int start = 0; start < pixels; start += STRIP) {
            int len = Math.min(STRIP, pixels - start);
            fill(len, bg[0], bg[1], bg[2], bg[3]);
            for (int i = 0; i < count; i++) {
                LayerOp layer = layers.get(i);
                int[] rows = spans == null ? null : spans.get(i);
                if (rows == null) {
                    blend(layer.image(), layer.mode(), layer.opacity(), start, len, 0);
                } else {
                    blendSpans(layer, rows, width, start, len);
                }
            }
            store(dst, start, len);
        }
    }

    /** Blends the strip {@code [start, start + len)} of one layer, inside its row spans only. */
    private void blendSpans(LayerOp layer, int[] rows, int width, int start, int len) {
        int end = start + len;
        for (int y = start / width, rowStart = y * width; rowStart < end; y++, rowStart += width) {
            int from = Math.max(start, rowStart + rows[2 * y]);
            int to = Math.min(end, rowStart + rows[2 * y + 1]);
            if (from < to) {
                blend(layer.image(), layer.mode(), layer.opacity(), from, to - from, from - start);
            }
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
     * Blends pixels {@code start .. start + len - 1} of one layer onto the strip, from its pixel
     * {@code at}.
     */
    private void blend(RgbaImage image, BlendMode mode, int opacity, int start, int len, int at) {
        if (opacity == 0) {
            return; // every source alpha is 0: the accumulator stays as it is
        }
        byte[] src = image.pixels();
        boolean straight = image.alphaMode() == AlphaMode.STRAIGHT;
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
