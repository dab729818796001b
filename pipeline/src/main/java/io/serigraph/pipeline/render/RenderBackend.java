package io.serigraph.pipeline.render;

import io.serigraph.pipeline.plan.PlannedToken;

/**
 * The port through which the render stage turns a planned token into encoded image bytes. The local
 * implementation composites on this machine ({@link LocalRenderBackend}); a remote one (the gRPC
 * edge) renders on a node. Implementations are thread-safe: the stage calls {@link #render} from
 * several threads at once. Output must be a pure function of the token's traits, the layer files'
 * bytes and {@link #version()}, so that any backend gives the same bytes.
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
     * Everything besides traits and layer bytes that decides the output bytes (pixel-math version,
     * encoder version and settings, output size, resampler); part of each token's lineage.
     */
    String version();

    /** Which device does the work, for logs ("java", "opencl: NVIDIA H100", a node address). */
    String device();

    @Override
    void close();
}
