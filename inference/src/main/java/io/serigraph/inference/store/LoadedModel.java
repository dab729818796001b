package io.serigraph.inference.store;

import io.serigraph.inference.InferenceException;
import io.serigraph.inference.batch.BatchMetrics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle on a model loaded from a {@link ModelStore}. Every handle on the same entry shares one
 * native model and one {@link io.serigraph.inference.batch.DynamicBatcher}, so requests from all of
 * them are batched together; the native memory is freed when the last handle closes (or the store
 * does). Thread-safe.
 *
 * <p>The model takes one input tensor ({@code float32} or {@code int64}) and returns one {@code
 * float32} tensor; requests are single samples, flattened in C order, without the batch dimension.
 */
public final class LoadedModel implements AutoCloseable {
    private final ModelStore store;
    private final TorchModel model;
    private final AtomicBoolean closed = new AtomicBoolean();

    LoadedModel(ModelStore store, TorchModel model) {
        this.store = store;
        this.model = model;
    }

    public ModelManifest manifest() {
        return model.manifest();
    }

    /** The entry directory, {@code <store>/<name>/<version>}. */
    public Path directory() {
        return model.directory();
    }

    /** A file of the entry listed in the manifest's {@code files} (verified when loaded). */
    public Path file(String name) {
        for (ModelManifest.ExtraFile f : manifest().files()) {
            if (f.path().equals(name)) {
                return directory().resolve(name);
            }
        }
        throw new IllegalArgumentException(
                manifest().id() + " lists no file '" + name + "' in model.yaml");
    }

    /** The device the model runs on, e.g. {@code cpu()} or {@code gpu(0)}. */
    public String device() {
        return model.device().toString();
    }

    /** Queues one float32 sample; see {@link #submit(long[], Instant)}. */
    public CompletableFuture<float[]> submit(float[] sample) {
        return submit(sample, null);
    }

    public CompletableFuture<float[]> submit(float[] sample, Instant deadline) {
        return submitChecked(sample, deadline);
    }

    public CompletableFuture<float[]> submit(long[] sample) {
        return submit(sample, null);
    }

    /**
     * Queues one int64 sample; the future completes with the model's output for it, or
     * exceptionally with an {@link InferenceException}. A {@code deadline} (null: none) that passes
     * before the sample's batch runs fails it with a {@link
     * io.serigraph.inference.batch.DeadlineExceededException}.
     *
     * @throws IllegalArgumentException if the sample's type or length does not match the manifest
     */
    public CompletableFuture<float[]> submit(long[] sample, Instant deadline) {
        return submitChecked(sample, deadline);
    }

    private CompletableFuture<float[]> submitChecked(Object sample, Instant deadline) {
        if (closed.get()) {
            throw new IllegalStateException(manifest().id() + ": this handle is closed");
        }
        model.checkInput(sample);
        return model.batcher().submit(sample, deadline);
    }

    /** Runs one float32 sample and waits for its output. */
    public float[] run(float[] sample) {
        return await(submit(sample));
    }

    /** Runs one int64 sample and waits for its output. */
    public float[] run(long[] sample) {
        return await(submit(sample));
    }

    /** Waits for a future from this package's models, unwrapping its {@link InferenceException}. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new InferenceException("interrupted while waiting for a model", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InferenceException ie) {
                throw ie;
            }
            throw new InferenceException(String.valueOf(cause), cause);
        } catch (CancellationException e) {
            throw new InferenceException("the request was cancelled", e);
        }
    }

    /** The shared batcher's counters (for every handle on this model). */
    public BatchMetrics metrics() {
        return model.batcher().metrics();
    }

    /** Releases this handle; the last one to close frees the model. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            store.release(model);
        }
    }

    @Override
    public String toString() {
        return model.toString();
    }
}
