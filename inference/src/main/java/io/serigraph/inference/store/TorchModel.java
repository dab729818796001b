package io.serigraph.inference.store;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.serigraph.inference.InferenceException;
import io.serigraph.inference.batch.BatchPolicy;
import io.serigraph.inference.batch.DynamicBatcher;
import io.serigraph.inference.runtime.TorchRuntime;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One loaded TorchScript model and its batcher, shared by every {@link LoadedModel} handle on it.
 * Only the batcher's worker thread runs the model; staging arrays for a full batch are allocated
 * once and reused.
 */
final class TorchModel implements AutoCloseable {
    private final ModelManifest manifest;
    private final Path directory;
    private final Model model;
    private final DynamicBatcher<Object, float[]> batcher;
    private final boolean longInput;
    private final int inputSize;
    private final int outputSize;
    private final long[] sampleShape;
    private final float[] floatStaging;
    private final long[] longStaging;
    private int references;
    private boolean closed;

    private TorchModel(ModelManifest manifest, Path directory, Model model, BatchPolicy policy) {
        this.manifest = manifest;
        this.directory = directory;
        this.model = model;
        this.longInput = manifest.input().dtype().equals("int64");
        this.inputSize = manifest.input().sampleSize();
        this.outputSize = manifest.output().sampleSize();
        this.sampleShape = manifest.input().sampleShape();
        int staging = policy.maxBatchSize() * inputSize;
        this.floatStaging = longInput ? null : new float[staging];
        this.longStaging = longInput ? new long[staging] : null;
        this.batcher = new DynamicBatcher<>(manifest.id(), policy, this::runBatch);
    }

    static TorchModel load(
            ModelManifest manifest, Path directory, Device device, BatchPolicy policy)
            throws ModelStoreException {
        Path weights = directory.resolve(ModelManifest.WEIGHTS);
        TorchRuntime.get();
        Model model = Model.newInstance(manifest.id(), device, TorchRuntime.ENGINE);
        try {
            model.load(directory, "model", Map.of("mapLocation", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelStoreException(
                    weights,
                    "libtorch cannot load this file as TorchScript ("
                            + e.getMessage()
                            + "); re-export it with the script named in model.yaml's source",
                    e);
        }
        return new TorchModel(manifest, directory, model, policy);
    }

    ModelManifest manifest() {
        return manifest;
    }

    Path directory() {
        return directory;
    }

    DynamicBatcher<Object, float[]> batcher() {
        return batcher;
    }

    Device device() {
        return model.getNDManager().getDevice();
    }

    synchronized void retain() {
        references++;
    }

    /** Returns true when this was the last reference. */
    synchronized boolean release() {
        return --references == 0;
    }

    void checkInput(Object input) {
        int length;
        if (input instanceof float[] f && !longInput) {
            length = f.length;
        } else if (input instanceof long[] l && longInput) {
            length = l.length;
        } else {
            throw new IllegalArgumentException(
                    manifest.id()
                            + " takes "
                            + manifest.input().dtype()
                            + " input, got "
                            + (input == null ? "null" : input.getClass().getSimpleName()));
        }
        if (length != inputSize) {
            throw new IllegalArgumentException(
                    manifest.id()
                            + " takes "
                            + inputSize
                            + " values per sample (shape "
                            + manifest.input().shape()
                            + "), got "
                            + length);
        }
    }

    private List<float[]> runBatch(List<Object> inputs) {
        int n = inputs.size();
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        // Grad mode is thread-local in libtorch; this is the worker thread.
        JniUtils.setGradMode(false);
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray x;
            if (longInput) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(inputs.get(i), 0, longStaging, i * inputSize, inputSize);
                }
                x =
                        manager.create(
                                LongBuffer.wrap(longStaging, 0, n * inputSize),
                                new Shape(shape),
                                DataType.INT64);
            } else {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(inputs.get(i), 0, floatStaging, i * inputSize, inputSize);
                }
                x =
                        manager.create(
                                FloatBuffer.wrap(floatStaging, 0, n * inputSize),
                                new Shape(shape),
                                DataType.FLOAT32);
            }
            NDList out =
                    model.getBlock()
                            .forward(new ParameterStore(manager, false), new NDList(x), false);
            NDArray y = out.get(0);
            if (y.getShape().get(0) != n || y.getShape().size() != (long) n * outputSize) {
                throw new InferenceException(
                        manifest.id()
                                + " returned shape "
                                + y.getShape()
                                + " for a batch of "
                                + n
                                + "; model.yaml says "
                                + manifest.output().shape());
            }
            float[] flat = y.toType(DataType.FLOAT32, false).toFloatArray();
            List<float[]> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] r = new float[outputSize];
                System.arraycopy(flat, i * outputSize, r, 0, outputSize);
                results.add(r);
            }
            return results;
        }
    }

    /** Stops the batcher (finishing the batch in progress) and frees the native model. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        batcher.close();
        model.close();
    }

    @Override
    public String toString() {
        return manifest.id() + " on " + device();
    }
}
