package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;
import java.util.List;

/**
 * Composites a stack of layers, bottom to top, onto an output image. Every implementation (Java,
 * OpenCL) produces the same bytes for the same input: the math is {@link BlendMode#blend} per
 * pixel, specified in {@code docs/pixel-math.md}.
 *
 * <p>A compositor may hold device memory, so it is {@link AutoCloseable} and belongs in
 * try-with-resources. Implementations are not required to be thread-safe: use one per thread.
 */
public interface Compositor extends AutoCloseable {
    /** A background that leaves the output fully transparent before the first layer. */
    int TRANSPARENT = 0x00000000;

    /**
     * Fills {@code out} with {@code backgroundRgba} and blends each layer onto it in list order
     * (index 0 is the bottom layer).
     *
     * @param layers the layers, bottom first; each image the same size as {@code out} and none of
     *     them {@code out} itself (an empty list gives just the background)
     * @param backgroundRgba straight (not premultiplied) {@code 0xRRGGBBAA}, premultiplied with
     *     {@link PixelMath#premultiply} before use; any colour with alpha 0, such as {@link
     *     #TRANSPARENT}, gives a transparent background
     * @param out receives the premultiplied result; every pixel is overwritten
     * @throws IllegalArgumentException when a layer's size differs from {@code out}'s, or a layer
     *     shares its pixel array with {@code out}
     */
    void composite(List<LayerOp> layers, int backgroundRgba, RgbaImage out);

    /** Releases what the compositor holds; a compositor is unusable afterwards. */
    @Override
    void close();
}
