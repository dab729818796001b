package io.serigraph.inference.score;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.clip.Embeddings;
import java.util.Objects;

/**
 * CLIPScore (Hessel et al. 2021): how well an image matches a prompt, from the cosine {@code c} of
 * their CLIP embeddings: {@code 2.5 * max(c, 0)} as in the paper, and {@code 100 * max(c, 0)} as
 * torchmetrics reports it.
 */
public final class PromptAlignment {
    /** One image-prompt comparison. */
    public record Alignment(double cosine, double clipScore, double clipScore100) {}

    private final ClipModel clip;

    public PromptAlignment(ClipModel clip) {
        this.clip = Objects.requireNonNull(clip, "clip");
    }

    public Alignment score(RgbaImage image, String prompt) {
        return of(clip.embedImage(image), clip.embedText(prompt));
    }

    /** The alignment of two embeddings (normalized or not). */
    public static Alignment of(float[] imageEmbedding, float[] textEmbedding) {
        double c = Embeddings.cosine(imageEmbedding, textEmbedding);
        return new Alignment(c, clipScore(c), clipScore100(c));
    }

    /** {@code 2.5 * max(cosine, 0)}. */
    public static double clipScore(double cosine) {
        return 2.5 * Math.max(cosine, 0);
    }

    /** {@code 100 * max(cosine, 0)}. */
    public static double clipScore100(double cosine) {
        return 100 * Math.max(cosine, 0);
    }
}
