package io.serigraph.pipeline.qc;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngDecoder;
import io.serigraph.engine.png.PngFormatException;
import io.serigraph.inference.clip.Embeddings;
import io.serigraph.inference.score.ScoringModel;
import io.serigraph.inference.store.ModelStore;
import io.serigraph.inference.store.ModelStoreException;
import io.serigraph.inference.store.ShippedModels;
import java.nio.file.Path;

/**
 * {@link ScoreBackend} in this process: a {@link ScoringModel} of a local model store (CLIP and its
 * aesthetic head through the inference module's shared batchers, on the runtime's device). Closing
 * it releases the models and the store.
 */
public final class LocalScoreBackend implements ScoreBackend {
    private final ModelStore store;
    private final ScoringModel model;
    private final PngDecoder decoder = new PngDecoder();

    private LocalScoreBackend(ModelStore store, ScoringModel model) {
        this.store = store;
        this.model = model;
    }

    /**
     * Opens the model store at {@code root} (installing the shipped tiny model there when it is
     * missing) and loads {@code name} ({@link ScoringModel#DEFAULT}, {@code FAMILY} or {@code
     * FAMILY/VERSION}).
     *
     * @throws QcException naming the store and what is wrong when the model cannot be loaded
     */
    public static LocalScoreBackend open(Path root, String name) throws QcException {
        ModelStore store = null;
        try {
            ShippedModels.install(root);
            store = ModelStore.open(root);
            return new LocalScoreBackend(store, ScoringModel.load(store, name));
        } catch (ModelStoreException e) {
            if (store != null) {
                store.close();
            }
            throw new QcException("model store " + root + ": " + e.getMessage(), e);
        }
    }

    /** What scored: the CLIP model and its aesthetic head. */
    public String description() {
        return model.description();
    }

    private RgbaImage decode(byte[] png) throws PngFormatException {
        return decoder.decode(png, AlphaMode.PREMULTIPLIED);
    }

    @Override
    public double aesthetic(byte[] png) throws PngFormatException {
        return score(png).aesthetic();
    }

    @Override
    public double promptAlignment(byte[] png, String prompt) throws PngFormatException {
        return Embeddings.dot(embedding(png), textEmbedding(prompt));
    }

    @Override
    public float[] embedding(byte[] png) throws PngFormatException {
        return model.clip().embedImage(decode(png));
    }

    @Override
    public ImageScores score(byte[] png) throws PngFormatException {
        ScoringModel.ImageScore s = model.score(decode(png));
        return new ImageScores(s.embedding(), s.aesthetic());
    }

    @Override
    public float[] textEmbedding(String text) {
        return model.embedText(text);
    }

    @Override
    public boolean scoresAesthetics() {
        return model.aesthetic().isPresent();
    }

    @Override
    public String version() {
        return model.name();
    }

    @Override
    public String modelSha256() {
        return model.sha256();
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            store.close();
        }
    }
}
