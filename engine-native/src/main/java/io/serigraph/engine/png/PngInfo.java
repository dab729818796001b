package io.serigraph.engine.png;

/**
 * The IHDR of a PNG: size and pixel format.
 *
 * @param colorType 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA (PNG spec, 11.2.2)
 */
public record PngInfo(int width, int height, int bitDepth, int colorType, boolean interlaced) {

    public static final int GREY = 0;
    public static final int RGB = 2;
    public static final int PALETTE = 3;
    public static final int GREY_ALPHA = 4;
    public static final int RGBA = 6;

    /** Width times height. */
    public long pixelCount() {
        return (long) width * height;
    }
}
