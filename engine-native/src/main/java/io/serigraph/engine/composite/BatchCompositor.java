package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;

/**
 * The render hot path's compositor: trait layers are uploaded once and stay resident (on the
 * device, for OpenCL), and tokens are composited in batches, each token a list of (layer handle,
 * blend mode, opacity) over a background, into reused output images. Every implementation gives the
 * bytes of {@link Compositor#composite} for the same layers; {@link ComputeDevices} picks one.
 *
 * <pre>{@code
 * try (BatchCompositor compositor = ComputeDevices.choose(setting).open(512, 512)) {
 *     int body = compositor.upload(bodyImage);           // once per trait
 *     int hat = compositor.upload(hatImage);
 *     CompositeBatch batch = new CompositeBatch();
 *     batch.token(0xF4EEDDFF).layer(body, BlendMode.NORMAL, 255).layer(hat, BlendMode.NORMAL, 200);
 *     batch.token(Compositor.TRANSPARENT).layer(body, BlendMode.NORMAL, 255);
 *     compositor.composite(batch, outs);                   // outs[0], outs[1]: reused images
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use one per thread. Closing it frees the resident layers.
 */
public interface BatchCompositor extends Compositor {
    /** Canvas width: every uploaded layer and every output has this size. */
    int width();

    /** Canvas height. */
    int height();

    /**
     * Makes {@code layer} resident and returns its handle for {@link CompositeBatch#layer}: {@code
     * 0, 1, 2, ...} in upload order. The pixels are read now (OpenCL copies them to the device);
     * the Java path keeps a reference, so the image must not be changed after upload.
     *
     * @throws IllegalArgumentException when the layer is not {@link #width()} x {@link #height()}
     */
    int upload(RgbaImage layer);

    /** How many layers have been uploaded; handles are {@code 0..layerCount() - 1}. */
    int layerCount();

    /**
     * Composites every token of {@code batch}: {@code outs[t]} receives token {@code t}, exactly as
     * {@link Compositor#composite} would give for that token's layers and background. Outputs
     * {@code outs[batch.tokens()..]} are left alone.
     *
     * @param outs at least {@code batch.tokens()} distinct images of the canvas size, none of them
     *     an uploaded layer
     * @throws IllegalArgumentException when a handle was not uploaded, or an output is missing, of
     *     the wrong size or repeated
     */
    void composite(CompositeBatch batch, RgbaImage[] outs);

    /** The device in words, e.g. {@code Java} or {@code OpenCL CPU "pthread-haswell" on PoCL}. */
    String device();
}
