package io.serigraph.benchmarks;

import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.JavaCompositor;
import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngCompression;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.pipeline.sample.BenchmarkLayers;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * PNG encoding of composited 512x512 tokens (opaque, so RGB8) from the benchmark layer set, noisy
 * (noise 12) or flat (noise 0) art, per {@code output.compression} setting: zlib levels 6 and 1
 * (the adaptive filter on every row, the encoder before the presets) and the presets {@code fast},
 * {@code default} and {@code max}. Each call encodes the next of 8 tokens (random traits, seed 1)
 * into a stream that only counts bytes, so {@code -prof gc} shows the encoder's own allocation.
 * Score = ms per token per thread; the mean encoded size is printed once per trial.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PngEncodeBenchmark {
    @Param({"12", "0"})
    public double noise;

    @Param({"6", "1", "fast", "default", "max"})
    public String compression;

    private static final int TOKENS = 8;

    private final RgbaImage[] tokens = new RgbaImage[TOKENS];
    private final CountingSink sink = new CountingSink();
    private PngEncoder encoder;
    private int next;

    /** Counts what is written and keeps nothing. */
    static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RgbaImage[][] layers = BenchmarkLayers.generate(512, 6, 8, 1, noise);
        SplittableRandom random = new SplittableRandom(1);
        try (JavaCompositor c = new JavaCompositor()) {
            for (int t = 0; t < TOKENS; t++) {
                List<LayerOp> ops = new ArrayList<>();
                for (RgbaImage[] layer : layers) {
                    ops.add(
                            new LayerOp(
                                    layer[random.nextInt(layer.length)], BlendMode.NORMAL, 255));
                }
                tokens[t] = new RgbaImage(512, 512);
                c.composite(ops, 0, tokens[t]);
            }
        }
        PngCompression setting = PngCompression.fromSpecName(compression);
        if (setting == null) {
            throw new IllegalArgumentException("unknown compression " + compression);
        }
        encoder = new PngEncoder(setting);
        sink.bytes = 0;
        for (RgbaImage token : tokens) {
            encoder.encode(token, sink);
        }
        System.out.printf(
                "%nmean encoded size noise=%s compression=%s: %d bytes%n",
                noise, compression, sink.bytes / TOKENS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
    }

    @Benchmark
    public long encode() throws Exception {
        encoder.encode(tokens[next], sink);
        next = (next + 1) % TOKENS;
        return sink.bytes;
    }
}
