package io.serigraph.benchmarks;

import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.JavaCompositor;
import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.pipeline.sample.BenchmarkLayers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * One token's compositing on the Java path: six 512x512 layers of the benchmark layer set (opaque
 * background + five anti-aliased translucent shapes) onto the canvas. Score = tokens/s per thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompositeBenchmark {
    @Param({"NORMAL", "MULTIPLY"})
    public BlendMode mode;

    @Param({"12"})
    public double noise;

    private RgbaImage[][] layers;
    private final List<LayerOp> ops = new ArrayList<>();
    private RgbaImage out;
    private JavaCompositor compositor;
    private int token;

    @Setup(Level.Trial)
    public void setUp() {
        layers = BenchmarkLayers.generate(512, 6, 8, 1, noise);
        out = new RgbaImage(512, 512);
        compositor = new JavaCompositor();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compositor.close();
    }

    @Benchmark
    public RgbaImage compositeToken() {
        ops.clear();
        int t = token++;
        for (int l = 0; l < layers.length; l++) {
            int trait = (t >>> (3 * l)) & 7;
            ops.add(new LayerOp(layers[l][trait], l == 0 ? BlendMode.NORMAL : mode, 255));
        }
        compositor.composite(ops, 0, out);
        return out;
    }
}
