package io.serigraph.engine.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A raster of RGBA8 pixels, row-major, four bytes per pixel in R, G, B, A order, in one of two
 * {@linkplain AlphaMode alpha modes}.
 *
 * <p>{@link AlphaMode#PREMULTIPLIED} (the default) means each colour channel is already scaled by
 * alpha: a pixel with alpha 0 is always (0, 0, 0, 0), and no channel exceeds its alpha. The
 * compositor's output, the resampler and the PNG encoder work on this form. {@link
 * AlphaMode#STRAIGHT} images hold colours independent of alpha, as a PNG stores them; the
 * compositor reads them as layers without the rounding that premultiplying to 8 bits would cost.
 * See {@code docs/pixel-math.md}. The backing array is exposed for hot loops and is never copied
 * implicitly.
 */
public final class RgbaImage {
    private final int width;
    private final int height;
    private final byte[] pixels;
    private final AlphaMode alphaMode;

    /** A fully transparent premultiplied image. */
    public RgbaImage(int width, int height) {
        this(width, height, new byte[checkedLength(width, height)]);
    }

    /**
     * Wraps {@code pixels} (premultiplied RGBA8, length {@code width * height * 4}) without
     * copying.
     */
    public RgbaImage(int width, int height, byte[] pixels) {
        this(width, height, pixels, AlphaMode.PREMULTIPLIED);
    }

    /**
     * Wraps {@code pixels} (RGBA8 in {@code alphaMode}, length {@code width * height * 4}) without
     * copying.
     */
    public RgbaImage(int width, int height, byte[] pixels, AlphaMode alphaMode) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(alphaMode, "alphaMode");
        int length = checkedLength(width, height);
        if (pixels.length != length) {
            throw new IllegalArgumentException(
                    "pixel array holds "
                            + pixels.length
                            + " bytes; "
                            + width
                            + "x"
                            + height
                            + " RGBA needs "
                            + length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.alphaMode = alphaMode;
    }

    /** Wraps straight (not premultiplied) RGBA8 {@code pixels} without copying. */
    public static RgbaImage straight(int width, int height, byte[] pixels) {
        return new RgbaImage(width, height, pixels, AlphaMode.STRAIGHT);
    }

    private static int checkedLength(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, was " + width + "x" + height);
        }
        long length = (long) width * height * 4;
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "image " + width + "x" + height + " is too large for one array");
        }
        return (int) length;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** How the colour channels relate to alpha. */
    public AlphaMode alphaMode() {
        return alphaMode;
    }

    /** True when the colours are premultiplied by alpha. */
    public boolean isPremultiplied() {
        return alphaMode == AlphaMode.PREMULTIPLIED;
    }

    /** The backing RGBA8 array, in {@link #alphaMode()} (not a copy). */
    public byte[] pixels() {
        return pixels;
    }

    /** Packed pixel at (x, y) as 0xRRGGBBAA, as stored (premultiplied or straight). */
    public int rgba(int x, int y) {
        int i = (y * width + x) * 4;
        return (pixels[i] & 0xFF) << 24
                | (pixels[i + 1] & 0xFF) << 16
                | (pixels[i + 2] & 0xFF) << 8
                | (pixels[i + 3] & 0xFF);
    }

    /** True when every pixel has alpha 255. */
    public boolean isOpaque() {
        // Two pixels per word, their alpha bytes ANDed over a stretch before one test: a branch per
        // 64 pixels instead of one per pixel (the encoder asks this of every token).
        int n = pixels.length;
        int i = 0;
        while (i + STRETCH <= n) {
            long alphas = -1L;
            for (int end = i + STRETCH; i < end; i += 8) {
                alphas &= (long) LONG_LE.get(pixels, i);
            }
            if ((alphas & ALPHA_BYTES) != ALPHA_BYTES) {
                return false;
            }
        }
        for (i += 3; i < n; i += 4) {
            if (pixels[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** Bytes per test in {@link #isOpaque()}: 64 pixels. */
    private static final int STRETCH = 256;

    /** The alpha bytes of two little-endian RGBA pixels in a word. */
    private static final long ALPHA_BYTES = 0xFF000000FF000000L;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A deep copy, in the same alpha mode. */
    public RgbaImage copy() {
        return new RgbaImage(width, height, pixels.clone(), alphaMode);
    }
}
