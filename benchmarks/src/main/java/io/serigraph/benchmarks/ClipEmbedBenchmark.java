package io.serigraph.benchmarks;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.batch.BatchPolicy;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.store.LoadedModel;
import io.serigraph.inference.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CLIP embeddings per second against batch size, through the dynamic batcher, for the tiny CLIP
 * fixture (64x64 ViT, 32-d embeddings) on the runtime's device (CPU unless a GPU is present). Each
 * invocation submits {@code batch} requests at once (the batcher's max batch size, so they run as
 * one batch) and waits for all; the {@code embeddings} counter is the score to read (embeddings/s).
 * Images include CLIP preprocessing of a 256x256 RGBA image; texts include tokenization.
 *
 * <p>The model store defaults to {@code inference/src/test/resources/models} (run from the
 * repository root) and can be set with {@code -Dserigraph.models=DIR}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ClipEmbedBenchmark {
    @Param({"1", "4", "16", "64"})
    public int batch;

    private ModelStore store;
    private ClipModel clip;
    private final List<RgbaImage> images = new ArrayList<>();
    private final List<String> prompts = new ArrayList<>();

    /** Embeddings made, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counter {
        public long embeddings;

        @Setup(Level.Iteration)
        public void reset() {
            embeddings = 0;
        }
    }

    static Path modelStore() {
        String configured = System.getProperty("serigraph.models");
        if (configured != null) {
            return Path.of(configured);
        }
        for (String candidate :
                new String[] {
                    "inference/src/test/resources/models", "../inference/src/test/resources/models"
                }) {
            if (Files.isDirectory(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException(
                "no model store found: run from the repository root or set -Dserigraph.models");
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        store =
                ModelStore.builder(modelStore())
                        .optBatchPolicy(new BatchPolicy(batch, Duration.ofMillis(50), 4096))
                        .build();
        clip = ClipModel.load(store, "clip-tiny", "1");
        for (int i = 0; i < batch; i++) {
            byte[] px = new byte[256 * 256 * 4];
            for (int p = 0; p < px.length; p += 4) {
                int x = (p / 4) % 256;
                int y = (p / 4) / 256;
                px[p] = (byte) (x + i);
                px[p + 1] = (byte) y;
                px[p + 2] = (byte) (x ^ y);
                px[p + 3] = (byte) 255;
            }
            images.add(new RgbaImage(256, 256, px));
            prompts.add("an image of a cat with a red hat, number " + i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n%s%n%s%n", clip.imageMetrics(), clip.textMetrics());
        clip.close();
        store.close();
    }

    @Benchmark
    public float imageEmbeddings(Counter counter) {
        List<CompletableFuture<float[]>> futures = new ArrayList<>(batch);
        for (RgbaImage img : images) {
            futures.add(clip.embedImageAsync(img));
        }
        float sink = 0;
        for (CompletableFuture<float[]> f : futures) {
            sink += LoadedModel.await(f)[0];
        }
        counter.embeddings += batch;
        return sink;
    }

    @Benchmark
    public float textEmbeddings(Counter counter) {
        List<CompletableFuture<float[]>> futures = new ArrayList<>(batch);
        for (String p : prompts) {
            futures.add(clip.embedTextAsync(p));
        }
        float sink = 0;
        for (CompletableFuture<float[]> f : futures) {
            sink += LoadedModel.await(f)[0];
        }
        counter.embeddings += batch;
        return sink;
    }
}
