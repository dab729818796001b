package io.serigraph.inference.score;

import io.serigraph.inference.store.LoadedModel;
import io.serigraph.inference.store.ModelManifest;
import io.serigraph.inference.store.ModelStore;
import io.serigraph.inference.store.ModelStoreException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * An aesthetic head ({@code task: aesthetic-score}), such as LAION's improved aesthetic predictor
 * on CLIP ViT-L/14: an MLP on the L2-normalized CLIP image embedding whose output is the predicted
 * rating, on the 1-10 scale it was trained on (returned as the model gives it, not clamped). Its
 * manifest's {@code parameters.embedding_family} names the CLIP family whose embeddings it takes.
 */
public final class AestheticScorer implements AutoCloseable {
    public static final String TASK = "aesthetic-score";

    private final LoadedModel head;
    private final String embeddingFamily;
    private final int dimension;

    private AestheticScorer(LoadedModel head, String embeddingFamily) {
        this.head = head;
        this.embeddingFamily = embeddingFamily;
        this.dimension = head.manifest().input().sampleSize();
    }

    public static AestheticScorer load(ModelStore store, String name, String version)
            throws ModelStoreException {
        LoadedModel head = store.load(name, version);
        try {
            ModelManifest m = head.manifest();
            Path yaml = head.directory().resolve(ModelManifest.FILE_NAME);
            if (!m.task().equals(TASK)
                    || !m.input().dtype().equals("float32")
                    || m.input().shape().size() != 2
                    || m.output().sampleSize() != 1) {
                throw new ModelStoreException(
                        yaml,
                        "an aesthetic head must have task "
                                + TASK
                                + ", a float32 [-1, D] input and a [-1, 1] output");
            }
            return new AestheticScorer(head, m.stringParameter("embedding_family", yaml));
        } catch (ModelStoreException | RuntimeException e) {
            head.close();
            throw e;
        }
    }

    /** The CLIP family whose image embeddings this head scores (e.g. {@code clip-vit-l-14}). */
    public String embeddingFamily() {
        return embeddingFamily;
    }

    /** The embedding length it takes. */
    public int dimension() {
        return dimension;
    }

    public CompletableFuture<Double> scoreAsync(float[] normalizedImageEmbedding) {
        if (normalizedImageEmbedding.length != dimension) {
            throw new IllegalArgumentException(
                    head.manifest().id()
                            + " scores "
                            + dimension
                            + "-dimensional embeddings ("
                            + embeddingFamily
                            + "), got "
                            + normalizedImageEmbedding.length);
        }
        return head.submit(normalizedImageEmbedding).thenApply(r -> (double) r[0]);
    }

    /** The predicted rating of the image whose normalized CLIP embedding is given. */
    public double score(float[] normalizedImageEmbedding) {
        return LoadedModel.await(scoreAsync(normalizedImageEmbedding));
    }

    public LoadedModel model() {
        return head;
    }

    @Override
    public void close() {
        head.close();
    }
}
