package io.serigraph.engine.image;

/**
 * How an {@link RgbaImage}'s colour channels relate to its alpha; see {@code docs/pixel-math.md}.
 */
public enum AlphaMode {
    /**
     * Colours are multiplied by alpha ({@code p = round(255 * alpha * C)}), each at most its alpha;
     * alpha 0 is always (0, 0, 0, 0). What the compositor writes and the resampler and the PNG
     * encoder read.
     */
    PREMULTIPLIED,
    /**
     * Colours are independent of alpha, exactly as a PNG file stores them; any byte values are
     * valid, and the colour of a pixel with alpha 0 means nothing. Trait layers are kept this way,
     * so compositing starts from the artist's exact samples.
     */
    STRAIGHT
}
