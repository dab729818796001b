package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;
import java.util.Objects;

/**
 * One layer of a composite: an image, how it blends, and its opacity.
 *
 * @param image the layer's pixels, RGBA8, straight (as trait layers are decoded, exact) or
 *     premultiplied (valid); the same size as the output
 * @param mode how the layer combines with what lies below it
 * @param opacity {@code 0..255}, multiplied into the source alpha (and so the premultiplied colour)
 *     of every source pixel
 */
public record LayerOp(RgbaImage image, BlendMode mode, int opacity) {
    /** Fully opaque layer opacity. */
    public static final int OPAQUE = 255;

    public LayerOp {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mode, "mode");
        if (opacity < 0 || opacity > 255) {
            throw new IllegalArgumentException("layer opacity must be in 0..255, was " + opacity);
        }
    }

    /** A layer at full opacity. */
    public static LayerOp of(RgbaImage image, BlendMode mode) {
        return new LayerOp(image, mode, OPAQUE);
    }
}
