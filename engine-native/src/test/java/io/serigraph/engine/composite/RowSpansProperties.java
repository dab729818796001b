package io.serigraph.engine.composite;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.engine.image.RgbaImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Row spans are tight, and compositing inside them gives exactly the bits of the full fold: over
 * sparse layers (transparent margins, empty rows, holes), every blend mode, alpha mode and opacity,
 * and canvases whose rows straddle the compositor's strips.
 */
public class RowSpansProperties {
    /**
     * {@code image} with alpha 0 (and, premultiplied, colour 0) outside a random rectangle, on some
     * whole rows, and sometimes everywhere: layer art's transparent surroundings. Straight pixels
     * keep their colour under alpha 0, which the compositor must ignore.
     */
    public static RgbaImage sparse(Random random, RgbaImage image) {
        int w = image.width();
        int h = image.height();
        int x0 = random.nextInt(w);
        int x1 = x0 + 1 + random.nextInt(w - x0);
        int y0 = random.nextInt(h);
        int y1 = y0 + 1 + random.nextInt(h - y0);
        boolean empty = random.nextInt(10) == 0;
        byte[] p = image.pixels().clone();
        for (int y = 0; y < h; y++) {
            boolean emptyRow = empty || random.nextInt(6) == 0;
            for (int x = 0; x < w; x++) {
                if (emptyRow || x < x0 || x >= x1 || y < y0 || y >= y1) {
                    int i = 4 * (y * w + x);
                    if (image.isPremultiplied()) {
                        p[i] = 0;
                        p[i + 1] = 0;
                        p[i + 2] = 0;
                    }
                    p[i + 3] = 0;
                }
            }
        }
        return new RgbaImage(w, h, p, image.alphaMode());
    }

    @Property(tries = 200)
    void spansAreTight(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int width,
            @ForAll @IntRange(min = 1, max = 30) int height) {
        Random random = new Random(seed);
        RgbaImage image =
                sparse(random, JavaCompositorProperties.randomImage(random, width, height));
        int[] spans = RowSpans.of(image);
        for (int y = 0; y < height; y++) {
            int first = spans[2 * y];
            int end = spans[2 * y + 1];
            assertThat(first).isBetween(0, end);
            assertThat(end).isLessThanOrEqualTo(width);
            for (int x = 0; x < width; x++) {
                int a = image.pixels()[4 * (y * width + x) + 3] & 0xFF;
                if (x < first || x >= end) {
                    assertThat(a).as("alpha at %d,%d outside [%d, %d)", x, y, first, end).isZero();
                }
            }
            if (first < end) {
                assertThat(image.pixels()[4 * (y * width + first) + 3]).isNotZero();
                assertThat(image.pixels()[4 * (y * width + end - 1) + 3]).isNotZero();
            } else {
                assertThat(first).isZero();
            }
        }
    }

    @Property(tries = 150)
    void compositingInsideTheSpansGivesTheFullFoldsBytes(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 70) int width,
            @ForAll @IntRange(min = 1, max = 45) int height,
            @ForAll @IntRange(min = 1, max = 7) int layers) {
        Random random = new Random(seed);
        List<LayerOp> stack = new ArrayList<>();
        for (LayerOp op : JavaCompositorProperties.randomStack(random, width, height, layers)) {
            RgbaImage image = random.nextInt(4) == 0 ? op.image() : sparse(random, op.image());
            stack.add(new LayerOp(image, op.mode(), op.opacity()));
        }
        int background = random.nextInt(3) == 0 ? Compositor.TRANSPARENT : random.nextInt();
        RgbaImage expected = new RgbaImage(width, height);
        new JavaCompositor().composite(stack, background, expected);

        try (JavaBatchCompositor compositor = new JavaBatchCompositor(width, height)) {
            CompositeBatch batch = new CompositeBatch(1, 1).token(background);
            for (LayerOp op : stack) {
                batch.layer(compositor.upload(op.image()), op.mode(), op.opacity());
            }
            RgbaImage actual = new RgbaImage(width, height);
            compositor.composite(batch, new RgbaImage[] {actual});
            assertThat(actual.pixels()).isEqualTo(expected.pixels());
        }
    }
}
