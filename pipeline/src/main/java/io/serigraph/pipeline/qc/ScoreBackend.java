package io.serigraph.pipeline.qc;

/**
 * Port for model-based QC scores (CLIP aesthetic score, prompt alignment, image embeddings for
 * near-duplicate search and curation search), implemented next to the models:
 *
 * <ul>
 *   <li>{@link LocalScoreBackend}: in-process, over the {@code inference} module's {@code
 *       ScoringModel} (a CLIP model and its family's aesthetic head from a local model store);
 *   <li>{@code io.serigraph.grpc.client.RemoteScoreBackend} (grpc-api): a node's {@code
 *       serigraph.v1.InferenceService}, {@code Score} and {@code Embed} for the measurements and
 *       {@code Describe} for {@link #modelSha256()} without running a model; it names both models
 *       in every request, so {@link #version()} is exact whatever the node's defaults.
 * </ul>
 *
 * Both give the same {@link #modelSha256()} for the same weights, so stored scores compare alike
 * wherever they were measured. Thread-safe: concurrent calls are batched by the model's batcher (in
 * process, or on the node across all its clients).
 */
public interface ScoreBackend extends AutoCloseable {
    /**
     * An image's L2-normalised embedding and aesthetic score, measured in one pass.
     *
     * @param aesthetic the score ({@code NaN} when the model has no aesthetic head)
     */
    record ImageScores(float[] embedding, double aesthetic) {}

    /** The aesthetic score of a PNG image (higher is better; the scale is the model's). */
    double aesthetic(byte[] png) throws Exception;

    /** Cosine similarity of the image and the prompt, in -1..1. */
    double promptAlignment(byte[] png, String prompt) throws Exception;

    /** The image's embedding, L2-normalised. */
    float[] embedding(byte[] png) throws Exception;

    /** The image's embedding and aesthetic score in one pass. */
    ImageScores score(byte[] png) throws Exception;

    /** A text's embedding in the image embeddings' space, L2-normalised. */
    float[] textEmbedding(String text) throws Exception;

    /** Whether {@link ImageScores#aesthetic()} is measured (the model has an aesthetic head). */
    boolean scoresAesthetics();

    /** Name and version of the model(s), for lineage. */
    String version();

    /** SHA-256 identifying the exact weights: stored scores of another hash are stale. */
    String modelSha256();

    @Override
    void close() throws Exception;
}
