package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link BatchCompositor} of the Java path: a thin layer over {@link JavaCompositor}, which
 * does every pixel. "Uploading" a layer keeps a reference to it and its {@link RowRuns}, and a
 * batch is composited token after token, run by run: opaque runs copied, transparent ones skipped,
 * only the rest blended. The {@link LayerOp} of a resident layer is kept and reused while the
 * layer's mode and opacity stay the same, so a collection whose layers always blend the same way
 * composites without allocating.
 */
public final class JavaBatchCompositor implements BatchCompositor {
    private final int width;
    private final int height;
    private final JavaCompositor compositor = new JavaCompositor();
    private final List<RgbaImage> layers = new ArrayList<>();
    private final List<LayerOp> lastOps = new ArrayList<>();
    private final List<RowRuns> runs = new ArrayList<>();
    private final List<LayerOp> stack = new ArrayList<>();
    private final List<RowRuns> stackRuns = new ArrayList<>();
    private boolean closed;

    /** A compositor for {@code width x height} canvases. */
    public JavaBatchCompositor(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "canvas size must be positive, was " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public String device() {
        return "Java";
    }

    @Override
    public int upload(RgbaImage layer) {
        return upload(layer, null);
    }

    /**
     * As {@link #upload(RgbaImage)}, with the layer's {@link RowRuns} when the caller already has
     * them ({@code null}: made here): compositors on several threads over the same layers then make
     * them once between them.
     *
     * @throws IllegalArgumentException when {@code runs} are not of a layer of this size
     */
    public int upload(RgbaImage layer, RowRuns runs) {
        ensureOpen();
        Objects.requireNonNull(layer, "layer");
        if (runs != null && (runs.width() != layer.width() || runs.height() != layer.height())) {
            throw new IllegalArgumentException(
                    "row runs of a "
                            + runs.width()
                            + "x"
                            + runs.height()
                            + " image for a "
                            + layer.width()
                            + "x"
                            + layer.height()
                            + " layer");
        }
        if (layer.width() != width || layer.height() != height) {
            throw new IllegalArgumentException(
                    "layer is "
                            + layer.width()
                            + "x"
                            + layer.height()
                            + " but the canvas is "
                            + width
                            + "x"
                            + height);
        }
        layers.add(layer);
        this.runs.add(runs != null ? runs : RowRuns.of(layer));
        lastOps.add(null);
        return layers.size() - 1;
    }

    @Override
    public int layerCount() {
        return layers.size();
    }

    @Override
    public void composite(CompositeBatch batch, RgbaImage[] outs) {
        ensureOpen();
        Objects.requireNonNull(batch, "batch");
        batch.check(layers.size(), width, height, outs);
        for (int t = 0; t < batch.tokens(); t++) {
            stack.clear();
            stackRuns.clear();
            for (int i = batch.firstLayer(t); i < batch.endLayer(t); i++) {
                stack.add(op(batch.handle(i), batch.mode(i), batch.opacity(i)));
                stackRuns.add(runs.get(batch.handle(i)));
            }
            compositor.composite(stack, stackRuns, batch.background(t), outs[t]);
        }
        stack.clear();
        stackRuns.clear();
    }

    @Override
    public void composite(List<LayerOp> layerOps, int backgroundRgba, RgbaImage out) {
        ensureOpen();
        compositor.composite(layerOps, backgroundRgba, out);
    }

    /** The resident layer's op, reused when its mode and opacity are the last ones used. */
    private LayerOp op(int handle, BlendMode mode, int opacity) {
        LayerOp last = lastOps.get(handle);
        if (last == null || last.mode() != mode || last.opacity() != opacity) {
            last = new LayerOp(layers.get(handle), mode, opacity);
            lastOps.set(handle, last);
        }
        return last;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the compositor is closed");
        }
    }

    /** Forgets the resident layers; the compositor is unusable afterwards. */
    @Override
    public void close() {
        closed = true;
        layers.clear();
        runs.clear();
        lastOps.clear();
        compositor.close();
    }
}
