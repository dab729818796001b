package io.serigraph.cli;

import io.serigraph.grpc.server.InferenceModels;
import io.serigraph.inference.batch.BatchPolicy;
import io.serigraph.inference.score.ScoringModel;
import io.serigraph.inference.store.ModelStoreException;
import io.serigraph.inference.store.ShippedModels;
import io.serigraph.pipeline.qc.LocalScoreBackend;
import io.serigraph.pipeline.qc.QcException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model NAME} and {@code --models DIR}: which scoring model of which local model store
 * scores, searches, runs the model QC checks and answers a node's InferenceService. The store is
 * {@code --models}, else {@code $SERIGRAPH_MODELS}, else {@code ~/.serigraph/models}; the shipped
 * tiny model is installed there when missing, so {@code default} always resolves.
 */
final class ModelOptions {
    static final String MODELS_ENV = "SERIGRAPH_MODELS";

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description =
                    "Scoring model: FAMILY or FAMILY/VERSION of the model store, e.g."
                            + " clip-vit-l-14/openai (default: the spec's qc.model, else the best"
                            + " installed: the shipped tiny clip-tiny until a real one is"
                            + " installed).")
    String model;

    @Option(
            names = "--models",
            paramLabel = "DIR",
            description =
                    "The model store (default: $" + MODELS_ENV + ", else ~/.serigraph/models).")
    Path models;

    /** The model store folder. */
    Path store() {
        if (models != null) {
            return models;
        }
        String env = System.getenv(MODELS_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".serigraph", "models");
    }

    /** The model named by {@code --model}, else {@code fallback} (e.g. the spec's qc.model). */
    String name(String fallback) {
        return model != null ? model : fallback != null ? fallback : ScoringModel.DEFAULT;
    }

    /**
     * The store's models for {@code serve}: the scoring model {@code --model} names (default: the
     * best installed) gives the node's default CLIP model and aesthetic head, as for {@code score}
     * and {@code qc}. The shipped tiny model is installed first when missing.
     */
    InferenceModels serve() throws BadInputException {
        Path root = store();
        try {
            ShippedModels.install(root);
            return InferenceModels.open(root, name(null), BatchPolicy.DEFAULT);
        } catch (ModelStoreException e) {
            throw new BadInputException("model store " + root + ": " + e.getMessage());
        }
    }

    /** Loads the scoring model ({@code --model}, else {@code fallback}). */
    LocalScoreBackend open(String fallback) throws BadInputException {
        try {
            return LocalScoreBackend.open(store(), name(fallback));
        } catch (QcException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
