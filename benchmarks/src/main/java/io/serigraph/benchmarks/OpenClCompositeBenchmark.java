package io.serigraph.benchmarks;

import io.serigraph.engine.composite.BatchCompositor;
import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.CompositeBatch;
import io.serigraph.engine.composite.JavaBatchCompositor;
import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.opencl.OpenClCompositor;
import io.serigraph.engine.opencl.OpenClDevices;
import io.serigraph.pipeline.sample.BenchmarkLayers;
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
 * Tokens composited per second through the {@link BatchCompositor} batch API, Java against OpenCL:
 * six 512x512 straight layers per token (the benchmark layer set: opaque background + five
 * anti-aliased translucent shapes, 8 traits each, all 48 resident), {@code batch} tokens per call,
 * each read back into a reused output image. The {@code tokens} counter is the score to compare
 * (tokens/s); the primary score is calls/s. {@code opencl} runs on the best device {@link
 * OpenClDevices} finds (PoCL on a CPU-only machine).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpenClCompositeBenchmark {
    private static final int SIZE = 512;
    private static final int LAYERS = 6;
    private static final int TRAITS = 8;

    @Param({"java", "opencl"})
    public String backend;

    @Param({"1", "16", "64"})
    public int batch;

    private BatchCompositor compositor;
    private final int[][] handles = new int[LAYERS][TRAITS];
    private final CompositeBatch tokens = new CompositeBatch(64, 64 * LAYERS);
    private RgbaImage[] outs;
    private int token;

    /** Tokens composited, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long tokens;

        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        compositor =
                switch (backend) {
                    case "java" -> new JavaBatchCompositor(SIZE, SIZE);
                    case "opencl" ->
                            OpenClCompositor.open(OpenClDevices.cached().best(), SIZE, SIZE);
                    default -> throw new IllegalArgumentException("backend " + backend);
                };
        RgbaImage[][] images = BenchmarkLayers.generate(SIZE, LAYERS, TRAITS, 1, 12);
        for (int l = 0; l < LAYERS; l++) {
            for (int t = 0; t < TRAITS; t++) {
                handles[l][t] = compositor.upload(straight(images[l][t]));
            }
        }
        outs = new RgbaImage[batch];
        for (int i = 0; i < batch; i++) {
            outs[i] = new RgbaImage(SIZE, SIZE);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compositor.close();
    }

    @Benchmark
    public RgbaImage[] compositeBatch(Counters counters) {
        tokens.clear();
        for (int i = 0; i < batch; i++) {
            int t = token++;
            tokens.token(0);
            for (int l = 0; l < LAYERS; l++) {
                tokens.layer(handles[l][(t >>> (3 * l)) & 7], BlendMode.NORMAL, 255);
            }
        }
        compositor.composite(tokens, outs);
        counters.tokens += batch;
        return outs;
    }

    /** The premultiplied benchmark art as straight RGBA8, as its PNG file would store it. */
    private static RgbaImage straight(RgbaImage premultiplied) {
        byte[] p = premultiplied.pixels().clone();
        for (int i = 0; i < p.length; i += 4) {
            int a = p[i + 3] & 0xFF;
            for (int c = 0; c < 3; c++) {
                p[i + c] = (byte) PixelMath.unpremultiply(p[i + c] & 0xFF, a);
            }
        }
        return RgbaImage.straight(premultiplied.width(), premultiplied.height(), p);
    }
}
