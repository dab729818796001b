package io.serigraph.inference.score;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.clip.Embeddings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP zero-shot classification for trait checks: each label becomes a prompt from a template
 * ({@code "an image of {trait}"} by default), and the probabilities are the softmax over labels of
 * {@code logitScale * cosine(image, prompt)}, as CLIP's zero-shot evaluation computes them. Prompt
 * embeddings are cached. Thread-safe.
 */
public final class ZeroShotClassifier {
    public static final String DEFAULT_TEMPLATE = "an image of {trait}";

    private final ClipModel clip;
    private final String template;
    private final Map<String, float[]> prompts = new ConcurrentHashMap<>();

    public ZeroShotClassifier(ClipModel clip) {
        this(clip, DEFAULT_TEMPLATE);
    }

    /** {@code template} must contain {@code {trait}}. */
    public ZeroShotClassifier(ClipModel clip, String template) {
        this.clip = Objects.requireNonNull(clip, "clip");
        if (!template.contains("{trait}")) {
            throw new IllegalArgumentException("template must contain {trait}: " + template);
        }
        this.template = template;
    }

    public String prompt(String label) {
        return template.replace("{trait}", label);
    }

    /** Probabilities over {@code labels} (in their order) for {@code image}; they sum to 1. */
    public Map<String, Double> classify(RgbaImage image, List<String> labels) {
        return classify(clip.embedImage(image), labels);
    }

    /** Probabilities over {@code labels} for an image embedding. */
    public Map<String, Double> classify(float[] imageEmbedding, List<String> labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("no labels to choose from");
        }
        double[] logits = new double[labels.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            float[] t = prompts.computeIfAbsent(prompt(labels.get(i)), clip::embedText);
            logits[i] = clip.logitScale() * Embeddings.cosine(imageEmbedding, t);
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Math.exp(logits[i] - max);
            sum += logits[i];
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < logits.length; i++) {
            out.merge(labels.get(i), logits[i] / sum, Double::sum);
        }
        return out;
    }
}
