package io.serigraph.benchmarks;

import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.JavaCompositor;
import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.engine.png.PngEncoder.FilterStrategy;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * PNG encoding of one composited 512x512 token (opaque, so RGB8) from the benchmark layer set,
 * noisy (noise 12) or flat (noise 0) art, per filter strategy and zlib level. Score = tokens/s per
 * thread; the encoded size is printed once per trial for the record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PngEncodeBenchmark {
    @Param({"12", "0"})
    public double noise;

    @Param({"ADAPTIVE", "NONE"})
    public FilterStrategy filter;

    @Param({"1", "6"})
    public int level;

    private RgbaImage token;
    private PngEncoder encoder;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RgbaImage[][] layers = BenchmarkLayers.generate(512, 6, 8, 1, noise);
        List<LayerOp> ops = new ArrayList<>();
        for (RgbaImage[] layer : layers) {
            ops.add(new LayerOp(layer[0], BlendMode.NORMAL, 255));
        }
        token = new RgbaImage(512, 512);
        try (JavaCompositor c = new JavaCompositor()) {
            c.composite(ops, 0, token);
        }
        encoder = new PngEncoder(filter, level);
        System.out.printf(
                "%nencoded size noise=%s filter=%s level=%d: %d bytes%n",
                noise, filter, level, encoder.encode(token).length);
    }

    @org.openjdk.jmh.annotations.TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
    }

    @Benchmark
    public byte[] encode() throws Exception {
        return encoder.encode(token);
    }
}
