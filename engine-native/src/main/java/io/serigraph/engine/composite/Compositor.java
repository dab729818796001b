package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;
import java.util.List;
import java.util.Objects;

/**
 * Composites a stack of layers, bottom to top, onto an output image. Every implementation (Java,
 * OpenCL) produces the same bytes for the same input: the math is specified in {@code
 * docs/pixel-math.md} (version {@link PixelMath#VERSION}): the background and each layer's pixels
 * are taken exactly onto an accumulator of scale {@link PixelMath#U}, each layer is one {@link
 * BlendMode#blend(int, io.serigraph.engine.image.AlphaMode, int, int[], int)} step per pixel, and
 * the result is rounded once to premultiplied RGBA8.
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
     * @param layers the layers, bottom first, straight or premultiplied; each image the same size
     *     as {@code out} and none of them {@code out} itself (an empty list gives just the
     *     background)
     * @param backgroundRgba straight (not premultiplied) {@code 0xRRGGBBAA}, used exactly; any
     *     colour with alpha 0, such as {@link #TRANSPARENT}, gives a transparent background
     * @param out a premultiplied image that receives the result; every pixel is overwritten
     * @throws IllegalArgumentException when a layer's size differs from {@code out}'s, a layer
     *     shares its pixel array with {@code out}, or {@code out} is not premultiplied
     */
    void composite(List<LayerOp> layers, int backgroundRgba, RgbaImage out);

    /** Releases what the compositor holds; a compositor is unusable afterwards. */
    @Override
    void close();

    /**
     * Checks {@link #composite}'s arguments as every implementation must: non-null, a premultiplied
     * output, every layer the output's size and none of them sharing the output's pixels.
     *
     * @throws IllegalArgumentException naming the offending layer or the output
     */
    static void checkArguments(List<LayerOp> layers, RgbaImage out) {
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(out, "out");
        if (!out.isPremultiplied()) {
            throw new IllegalArgumentException(
                    "the output image is "
                            + out.alphaMode()
                            + "; the compositor writes premultiplied images");
        }
        for (int i = 0; i < layers.size(); i++) {
            RgbaImage image = Objects.requireNonNull(layers.get(i), "layer").image();
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
    }
}
