package io.serigraph.engine.opencl;

import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.Compositor;
import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.composite.RowSpansProperties;
import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random inputs for the Java-vs-OpenCL agreement tests. */
final class TestImages {
    private TestImages() {}

    /** An alpha where 0 and 255 are common, as in real layer art. */
    static int alpha(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 255;
            default -> random.nextInt(256);
        };
    }

    /** A random opacity: 0, 255 or anything between. */
    static int opacity(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 255;
            case 1 -> random.nextInt(2) * 255;
            default -> random.nextInt(256);
        };
    }

    /** A random background: transparent, opaque or anything. */
    static int background(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> Compositor.TRANSPARENT;
            case 1 -> random.nextInt() | 0xFF;
            default -> random.nextInt();
        };
    }

    /**
     * A random image: straight with any bytes (colour under alpha 0 included), or valid
     * premultiplied (each colour at most its alpha).
     */
    static RgbaImage image(Random random, int width, int height, AlphaMode mode) {
        byte[] p = new byte[width * height * 4];
        for (int i = 0; i < p.length; i += 4) {
            int a = alpha(random);
            for (int c = 0; c < 3; c++) {
                int v = mode == AlphaMode.STRAIGHT ? random.nextInt(256) : random.nextInt(a + 1);
                p[i + c] = (byte) v;
            }
            p[i + 3] = (byte) a;
        }
        return new RgbaImage(width, height, p, mode);
    }

    /** A random image of a random alpha mode. */
    static RgbaImage layer(Random random, int width, int height) {
        return image(random, width, height, AlphaMode.values()[random.nextInt(2)]);
    }

    static BlendMode mode(Random random) {
        return BlendMode.values()[random.nextInt(BlendMode.values().length)];
    }

    /**
     * {@code count} random layers, every blend mode, alpha mode and opacity possible, half of them
     * {@linkplain RowSpansProperties#sparse sparse}.
     */
    static List<LayerOp> stack(Random random, int width, int height, int count) {
        List<LayerOp> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RgbaImage image = layer(random, width, height);
            if (random.nextBoolean()) {
                image = RowSpansProperties.sparse(random, image);
            }
            layers.add(new LayerOp(image, mode(random), opacity(random)));
        }
        return layers;
    }

    /** A premultiplied image full of random bytes, to show an output is overwritten. */
    static RgbaImage garbage(Random random, int width, int height) {
        byte[] p = new byte[width * height * 4];
        random.nextBytes(p);
        return new RgbaImage(width, height, p);
    }
}
