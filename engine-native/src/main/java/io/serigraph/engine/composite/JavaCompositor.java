package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * The Java compositor: the reference twin of the OpenCL kernels. One tight loop per blend mode over
 * the premultiplied RGBA8 arrays, each pixel computed with the {@link PixelMath} formulas, with no
 * allocation per pixel or per call.
 *
 * <p>Shortcuts are taken only where they give exactly the bytes of the full formula: a source pixel
 * whose alpha is 0 after opacity leaves the backdrop unchanged in every mode, an opaque source
 * pixel in {@link BlendMode#NORMAL} replaces it, and a layer at opacity 0 is skipped.
 *
 * <p>Input pixels must be valid premultiplied (each colour at most its alpha), as every image the
 * engine makes is; the result for invalid input is unspecified.
 *
 * <p>Holds no state, so it is thread-safe, and {@link #close()} does nothing.
 */
public final class JavaCompositor implements Compositor {
    /**
     * Four bytes R, G, B, A read as one little-endian int: R in bits 0..7, G 8..15, B 16..23, A
     * 24..31.
     */
    private static final VarHandle PIXEL =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    @Override
    public void composite(List<LayerOp> layers, int backgroundRgba, RgbaImage out) {
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(out, "out");
        int count = layers.size();
        for (int i = 0; i < count; i++) {
            LayerOp layer = Objects.requireNonNull(layers.get(i), "layer");
            RgbaImage image = layer.image();
            if (image.width() != out.width() || image.height() != out.height()) {
                throw new IllegalArgumentException(
                        "layer "
                                + i
                                + " is "
                                + image.width()
                                + "x"
                                + image.height()
                                + " but the output is "
                                + out.width()
                                + "x"
                                + out.height()
                                + "; all layers must be the output's size");
            }
            if (image.pixels() == out.pixels()) {
                throw new IllegalArgumentException(
                        "layer " + i + " shares its pixels with the output image");
            }
        }
        byte[] dst = out.pixels();
        int first = 0;
        int background = premultipliedLe(backgroundRgba);
        if (background == 0
                && count > 0
                && layers.get(0).mode() == BlendMode.NORMAL
                && layers.get(0).opacity() == LayerOp.OPAQUE) {
            // normal at full opacity over transparent is an exact copy: div255(255 * cs) == cs.
            System.arraycopy(layers.get(0).image().pixels(), 0, dst, 0, dst.length);
            first = 1;
        } else {
            fill(dst, background);
        }
        for (int i = first; i < count; i++) {
            LayerOp layer = layers.get(i);
            blend(layer.image().pixels(), dst, layer.mode(), layer.opacity());
        }
    }

    /** Does nothing: the Java compositor holds no resources. */
    @Override
    public void close() {}

    /** Straight 0xRRGGBBAA to a premultiplied little-endian pixel (A in the top byte). */
    private static int premultipliedLe(int rgba) {
        int a = rgba & 0xFF;
        int r = PixelMath.premultiply(rgba >>> 24, a);
        int g = PixelMath.premultiply((rgba >>> 16) & 0xFF, a);
        int b = PixelMath.premultiply((rgba >>> 8) & 0xFF, a);
        return r | g << 8 | b << 16 | a << 24;
    }

    private static void fill(byte[] dst, int pixel) {
        for (int i = 0; i < dst.length; i += 4) {
            PIXEL.set(dst, i, pixel);
        }
    }

    /** Blends one layer's premultiplied {@code src} onto {@code dst} in place. */
    static void blend(byte[] src, byte[] dst, BlendMode mode, int opacity) {
        if (opacity == 0) {
            return; // every scaled source pixel is (0, 0, 0, 0): the backdrop stays as it is
        }
        switch (mode) {
            case NORMAL -> normal(src, dst, opacity);
            case MULTIPLY -> multiply(src, dst, opacity);
            case SCREEN -> screen(src, dst, opacity);
            case OVERLAY -> overlay(src, dst, opacity);
            case ADD -> add(src, dst, opacity);
            default -> throw new AssertionError(mode);
        }
    }

    /** A little-endian source pixel with all four channels scaled by {@code opacity}. */
    private static int scaled(int s, int opacity) {
        if (opacity == 255 || s == 0) {
            return s; // a transparent pixel scales to itself: skip the four divisions
        }
        return PixelMath.scale(s & 0xFF, opacity)
                | PixelMath.scale((s >>> 8) & 0xFF, opacity) << 8
                | PixelMath.scale((s >>> 16) & 0xFF, opacity) << 16
                | PixelMath.scale(s >>> 24, opacity) << 24;
    }

    private static void normal(byte[] src, byte[] dst, int opacity) {
        for (int i = 0; i < dst.length; i += 4) {
            int s = scaled((int) PIXEL.get(src, i), opacity);
            int as = s >>> 24;
            if (as == 255) {
                PIXEL.set(dst, i, s);
            } else if (as != 0) {
                int d = (int) PIXEL.get(dst, i);
                int r = PixelMath.normal(s & 0xFF, as, d & 0xFF);
                int g = PixelMath.normal((s >>> 8) & 0xFF, as, (d >>> 8) & 0xFF);
                int b = PixelMath.normal((s >>> 16) & 0xFF, as, (d >>> 16) & 0xFF);
                int a = PixelMath.overAlpha(as, d >>> 24);
                PIXEL.set(dst, i, r | g << 8 | b << 16 | a << 24);
            }
        }
    }

    private static void multiply(byte[] src, byte[] dst, int opacity) {
        for (int i = 0; i < dst.length; i += 4) {
            int s = scaled((int) PIXEL.get(src, i), opacity);
            int as = s >>> 24;
            if (as != 0) {
                int d = (int) PIXEL.get(dst, i);
                int ab = d >>> 24;
                int r = PixelMath.multiply(s & 0xFF, as, d & 0xFF, ab);
                int g = PixelMath.multiply((s >>> 8) & 0xFF, as, (d >>> 8) & 0xFF, ab);
                int b = PixelMath.multiply((s >>> 16) & 0xFF, as, (d >>> 16) & 0xFF, ab);
                int a = PixelMath.overAlpha(as, ab);
                PIXEL.set(dst, i, r | g << 8 | b << 16 | a << 24);
            }
        }
    }

    private static void screen(byte[] src, byte[] dst, int opacity) {
        for (int i = 0; i < dst.length; i += 4) {
            int s = scaled((int) PIXEL.get(src, i), opacity);
            int as = s >>> 24;
            if (as != 0) {
                int d = (int) PIXEL.get(dst, i);
                int r = PixelMath.screen(s & 0xFF, d & 0xFF);
                int g = PixelMath.screen((s >>> 8) & 0xFF, (d >>> 8) & 0xFF);
                int b = PixelMath.screen((s >>> 16) & 0xFF, (d >>> 16) & 0xFF);
                int a = PixelMath.overAlpha(as, d >>> 24);
                PIXEL.set(dst, i, r | g << 8 | b << 16 | a << 24);
            }
        }
    }

    private static void overlay(byte[] src, byte[] dst, int opacity) {
        for (int i = 0; i < dst.length; i += 4) {
            int s = scaled((int) PIXEL.get(src, i), opacity);
            int as = s >>> 24;
            if (as != 0) {
                int d = (int) PIXEL.get(dst, i);
                int ab = d >>> 24;
                int r = PixelMath.overlay(s & 0xFF, as, d & 0xFF, ab);
                int g = PixelMath.overlay((s >>> 8) & 0xFF, as, (d >>> 8) & 0xFF, ab);
                int b = PixelMath.overlay((s >>> 16) & 0xFF, as, (d >>> 16) & 0xFF, ab);
                int a = PixelMath.overAlpha(as, ab);
                PIXEL.set(dst, i, r | g << 8 | b << 16 | a << 24);
            }
        }
    }

    private static void add(byte[] src, byte[] dst, int opacity) {
        for (int i = 0; i < dst.length; i += 4) {
            int s = scaled((int) PIXEL.get(src, i), opacity);
            if ((s >>> 24) != 0) {
                int d = (int) PIXEL.get(dst, i);
                int r = PixelMath.add(s & 0xFF, d & 0xFF);
                int g = PixelMath.add((s >>> 8) & 0xFF, (d >>> 8) & 0xFF);
                int b = PixelMath.add((s >>> 16) & 0xFF, (d >>> 16) & 0xFF);
                int a = PixelMath.add(s >>> 24, d >>> 24);
                PIXEL.set(dst, i, r | g << 8 | b << 16 | a << 24);
            }
        }
    }
}
