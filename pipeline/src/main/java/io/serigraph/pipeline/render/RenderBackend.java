package io.serigraph.pipeline.render;

import io.serigraph.pipeline.plan.PlannedToken;
import java.util.List;

/**
 * The port through which the render stage turns a planned token into encoded image bytes. The local
 * implementation composites on this machine ({@link LocalRenderBackend}); a remote one (the gRPC
 * edge) renders on a node. Implementations are thread-safe: the stage calls {@link #renderBatch}
 * from several threads at once. Output must be a pure function of the token's traits, the layer
 * files' bytes and {@link #version()}, so that any backend gives the same bytes.
 */
public interface RenderBackend extends AutoCloseable {
    /** The encoded image (PNG) of {@code token}. */
    byte[] render(PlannedToken token) throws Exception;

    /**
     * The encoded image (PNG) of one-of-one {@code j} (index into the spec's {@code one_of_ones}):
     * its hand-made art over the canvas background, resampled and encoded exactly like a generative
     * token.
     */
    byte[] renderOneOfOne(int j) throws Exception;

    /**
     * Renders a batch: {@code out[k]} receives the PNG of one-of-one {@code oneOfOnes[k]} where
     * that is {@code >= 0}, else of {@code tokens.get(k)}: the bytes {@link #render} and {@link
     * #renderOneOfOne} give. The local backend composites the whole batch in one device launch;
     * this default renders the tokens one at a time.
     *
     * @param oneOfOnes at least {@code tokens.size()} entries
     * @param out at least {@code tokens.size()} entries
     */
    default void renderBatch(List<PlannedToken> tokens, int[] oneOfOnes, byte[][] out)
            throws Exception {
        for (int k = 0; k < tokens.size(); k++) {
            out[k] = oneOfOnes[k] >= 0 ? renderOneOfOne(oneOfOnes[k]) : render(tokens.get(k));
        }
    }

    /** How many tokens the stage should hand {@link #renderBatch} at a time (at least 1). */
    default int batchSize() {
        return 1;
    }

    /**
     * Everything besides traits and layer bytes that decides the output bytes (pixel-math version,
     * encoder version and settings, output size, resampler); part of each token's lineage.
     */
    String version();

    /** Which device does the work, for logs ("java", "opencl: NVIDIA H100", a node address). */
    String device();

    @Override
    void close();
}
