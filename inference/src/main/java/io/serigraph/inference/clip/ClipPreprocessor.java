package io.serigraph.inference.clip;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.store.ModelManifest;
import java.util.List;
import java.util.Objects;

/**
 * CLIP's image preprocessing on Serigraph images, giving the model's input tensor ({@code [3, n,
 * n]} float32, C order).
 *
 * <ol>
 *   <li>The premultiplied RGBA image is composited onto an opaque background colour with the
 *       engine's pixel math: {@code out = p + div255((255 - a) * background)} per channel.
 *   <li>CLIP's torchvision transform on that RGB image, exactly: {@code Resize(resize, BICUBIC)}
 *       (shortest side to {@code resize}, the other side {@code int(resize * long / short)},
 *       Pillow's antialiased bicubic; see {@link PilBicubic}), {@code CenterCrop(crop)} (offsets
 *       {@code round((size - crop) / 2)}, halves to even), {@code ToTensor} ({@code v / 255f}) and
 *       {@code Normalize(mean, std)} ({@code (x - mean) / std} in float32).
 * </ol>
 *
 * For opaque images step 1 changes nothing, so the tensor is what {@code clip.load}'s preprocess
 * gives for the same pixels. Immutable and thread-safe.
 */
public final class ClipPreprocessor {
    /** CLIP's normalization constants (clip/clip.py). */
    public static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);

    public static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

    /** White. */
    public static final int DEFAULT_BACKGROUND = 0xFFFFFF;

    private final int resize;
    private final int crop;
    private final float[] mean = new float[3];
    private final float[] std = new float[3];
    private final int background;

    /**
     * @param resize the shortest side after resizing
     * @param crop the side of the center crop, at most {@code resize}
     * @param mean per-channel mean (R, G, B) on the 0..1 scale
     * @param std per-channel standard deviation
     * @param backgroundRgb 0xRRGGBB that transparent pixels are composited onto
     */
    public ClipPreprocessor(
            int resize, int crop, List<Double> mean, List<Double> std, int backgroundRgb) {
        if (resize < 1 || crop < 1 || crop > resize) {
            throw new IllegalArgumentException(
                    "need resize >= crop >= 1, got resize " + resize + ", crop " + crop);
        }
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("mean and std need three values (R, G, B)");
        }
        for (int c = 0; c < 3; c++) {
            this.mean[c] = mean.get(c).floatValue();
            this.std[c] = std.get(c).floatValue();
            if (!(this.std[c] > 0)) {
                throw new IllegalArgumentException("std must be positive: " + std);
            }
        }
        this.resize = resize;
        this.crop = crop;
        this.background = backgroundRgb & 0xFFFFFF;
    }

    /** CLIP's preprocessing at {@code size} (resize = crop = size, CLIP's mean and std). */
    public static ClipPreprocessor clip(int size, int backgroundRgb) {
        return new ClipPreprocessor(size, size, CLIP_MEAN, CLIP_STD, backgroundRgb);
    }

    /** The preprocessing a model entry's manifest declares. */
    public static ClipPreprocessor of(ModelManifest.Preprocessing p, int backgroundRgb) {
        if (p.interpolation() != null && !p.interpolation().equals("bicubic-pil")) {
            throw new IllegalArgumentException(
                    "interpolation '" + p.interpolation() + "' is not supported (bicubic-pil is)");
        }
        return new ClipPreprocessor(p.resize(), p.crop(), p.mean(), p.std(), backgroundRgb);
    }

    /** The side of the output tensor. */
    public int size() {
        return crop;
    }

    /** Values in one output tensor: {@code 3 * size * size}. */
    public int tensorSize() {
        return 3 * crop * crop;
    }

    public int background() {
        return background;
    }

    public ClipPreprocessor withBackground(int backgroundRgb) {
        return new ClipPreprocessor(
                resize,
                crop,
                List.of((double) mean[0], (double) mean[1], (double) mean[2]),
                List.of((double) std[0], (double) std[1], (double) std[2]),
                backgroundRgb);
    }

    /** The model input for {@code image}: {@code [3, size, size]} float32 in C order. */
    public float[] apply(RgbaImage image) {
        float[] out = new float[tensorSize()];
        apply(image, out, 0);
        return out;
    }

    /** Writes the model input for {@code image} into {@code out} from {@code offset}. */
    public void apply(RgbaImage image, float[] out, int offset) {
        int w = image.width();
        int h = image.height();
        byte[] rgb = compositeRgb(image, background);
        int outW;
        int outH;
        if (w <= h) {
            outW = resize;
            outH = (int) ((double) ((long) resize * h) / w);
        } else {
            outH = resize;
            outW = (int) ((double) ((long) resize * w) / h);
        }
        int top = (int) Math.rint((outH - crop) / 2.0);
        int left = (int) Math.rint((outW - crop) / 2.0);
        byte[] px = PilBicubic.resize(rgb, w, h, 3, outW, outH, left, top, crop, crop);
        int plane = crop * crop;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (px[i * 3 + c] & 0xFF) / 255f;
                out[offset + c * plane + i] = (v - mean[c]) / std[c];
            }
        }
    }

    /**
     * {@code image} composited onto the opaque {@code backgroundRgb}: interleaved RGB8, {@code out
     * = p + div255((255 - a) * background)} per channel on the premultiplied pixels.
     */
    public static byte[] compositeRgb(RgbaImage image, int backgroundRgb) {
        byte[] px = image.pixels();
        int n = image.width() * image.height();
        byte[] rgb = new byte[n * 3];
        int[] bg = {
            (backgroundRgb >> 16) & 0xFF, (backgroundRgb >> 8) & 0xFF, backgroundRgb & 0xFF
        };
        for (int i = 0; i < n; i++) {
            int inverse = 255 - (px[i * 4 + 3] & 0xFF);
            for (int c = 0; c < 3; c++) {
                rgb[i * 3 + c] =
                        (byte) ((px[i * 4 + c] & 0xFF) + PixelMath.div255(inverse * bg[c]));
            }
        }
        return rgb;
    }
}
