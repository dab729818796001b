package io.serigraph.inference.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.Fixtures;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.clip.Embeddings;
import io.serigraph.inference.store.ModelStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScoresTest {
    private static ModelStore store;
    private static ClipModel clip;

    @BeforeAll
    static void load() throws Exception {
        store = ModelStore.open(Fixtures.MODELS);
        clip = ClipModel.load(store, Fixtures.CLIP_FAMILY, Fixtures.VERSION);
    }

    @AfterAll
    static void close() {
        clip.close();
        store.close();
    }

    @Test
    void clipScoreFormulas() {
        assertThat(PromptAlignment.clipScore(0.3)).isCloseTo(0.75, offset(1e-12));
        assertThat(PromptAlignment.clipScore100(0.3)).isCloseTo(30.0, offset(1e-12));
        assertThat(PromptAlignment.clipScore(-0.2)).isZero();
        assertThat(PromptAlignment.clipScore100(-0.2)).isZero();
        PromptAlignment.Alignment a =
                PromptAlignment.of(new float[] {1, 0}, new float[] {3, 4}); // cos 0.6
        assertThat(a.cosine()).isCloseTo(0.6, offset(1e-7));
        assertThat(a.clipScore()).isCloseTo(1.5, offset(1e-6));
        assertThat(a.clipScore100()).isCloseTo(60, offset(1e-5));
    }

    @Test
    void promptAlignmentUsesBothEncoders() throws Exception {
        RgbaImage image = Fixtures.image("fixture-a.png");
        PromptAlignment.Alignment a =
                new PromptAlignment(clip).score(image, "a cat with a red hat");
        double cos = Embeddings.dot(clip.embedImage(image), clip.embedText("a cat with a red hat"));
        assertThat(a.cosine()).isCloseTo(cos, offset(1e-6));
        assertThat(a.clipScore100()).isCloseTo(100 * Math.max(cos, 0), offset(1e-4));
    }

    @Test
    void zeroShotIsASoftmaxOverTemplatedPrompts() throws Exception {
        RgbaImage image = Fixtures.image("fixture-a.png");
        List<String> labels = List.of("a red hat", "laser eyes", "a golden crown");
        Map<String, Double> p = new ZeroShotClassifier(clip).classify(image, labels);
        assertThat(p.keySet()).containsExactlyElementsOf(labels);
        assertThat(p.values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, offset(1e-9));
        float[] img = clip.embedImage(image);
        double[] logits = new double[3];
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            logits[i] =
                    Math.exp(
                            clip.logitScale()
                                    * Embeddings.dot(
                                            img, clip.embedText("an image of " + labels.get(i))));
            sum += logits[i];
        }
        for (int i = 0; i < 3; i++) {
            assertThat(p.get(labels.get(i))).isCloseTo(logits[i] / sum, offset(1e-4));
        }
        assertThatThrownBy(() -> new ZeroShotClassifier(clip, "no placeholder"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aestheticHeadChecksTheEmbeddingLength() throws Exception {
        try (AestheticScorer scorer = AestheticScorer.load(store, "aesthetic-tiny", "1")) {
            assertThat(scorer.dimension()).isEqualTo(32);
            assertThatThrownBy(() -> scorer.score(new float[768]))
                    .hasMessageContaining("32-dimensional");
        }
    }

    @Test
    void aestheticLoaderRejectsOtherTasks() {
        assertThatThrownBy(() -> AestheticScorer.load(store, "clip-tiny-image", "1"))
                .hasMessageContaining("must have task aesthetic-score");
    }
}
