package io.serigraph.pipeline.qc;

/**
 * Port for model-based QC scores (CLIP aesthetic score, prompt alignment, image embeddings for
 * near-duplicate search), implemented next to the models in {@code inference} (local) or behind
 * gRPC (remote). No implementation exists yet; the QC stage runs without one.
 */
public interface ScoreBackend extends AutoCloseable {
    /** The aesthetic score of a PNG image (higher is better; the scale is the model's). */
    double aesthetic(byte[] png) throws Exception;

    /** Cosine similarity of the image and the prompt, in -1..1. */
    double promptAlignment(byte[] png, String prompt) throws Exception;

    /** The image's embedding, L2-normalised. */
    float[] embedding(byte[] png) throws Exception;

    /** Name and version of the model(s), for lineage. */
    String version();

    @Override
    void close() throws Exception;
}
