package io.serigraph.benchmarks;

import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.CompositeBatch;
import io.serigraph.engine.composite.JavaBatchCompositor;
import io.serigraph.engine.composite.JavaCompositor;
import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.AlphaMode;
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
 * background + five anti-aliased translucent shapes; noisy or flat) onto the canvas. Score =
 * tokens/s per thread. {@code layers = STRAIGHT} is how the render stage holds trait layers
 * (decoded straight from their PNG files); {@code PREMULTIPLIED} is the same art premultiplied to 8
 * bits.
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

    @Param({"12", "0"})
    public double noise;

    /**
     * {@code strip}: {@link JavaCompositor#composite} folding every layer over every pixel, strip
     * by strip; {@code runs}: {@link JavaBatchCompositor}, as the render stage uses it, run by run
     * over the layers' {@code RowRuns} (opaque runs copied, uniform pieces blended once).
     */
    @Param({"strip", "runs"})
    public String path;

    @Param({"STRAIGHT", "PREMULTIPLIED"})
    public AlphaMode layers;

    private RgbaImage[][] images;
    private final List<LayerOp> ops = new ArrayList<>();
    private RgbaImage out;
    private JavaCompositor compositor;
    private JavaBatchCompositor batchCompositor;
    private int[][] handles;
    private final CompositeBatch batch = new CompositeBatch(1, 8);
    private RgbaImage[] outs;
    private int token;

    @Setup(Level.Trial)
    public void setUp() {
        images = BenchmarkLayers.generate(512, 6, 8, 1, noise);
        if (layers == AlphaMode.STRAIGHT) {
            for (RgbaImage[] layer : images) {
                for (int t = 0; t < layer.length; t++) {
                    layer[t] = straight(layer[t]);
                }
            }
        }
        out = new RgbaImage(512, 512);
        outs = new RgbaImage[] {out};
        compositor = new JavaCompositor();
        batchCompositor = new JavaBatchCompositor(512, 512);
        handles = new int[images.length][];
        for (int l = 0; l < images.length; l++) {
            handles[l] = new int[images[l].length];
            for (int t = 0; t < images[l].length; t++) {
                handles[l][t] = batchCompositor.upload(images[l][t]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compositor.close();
        batchCompositor.close();
    }

    @Benchmark
    public RgbaImage compositeToken() {
        int t = token++;
        if (path.equals("runs")) {
            batch.clear().token(0);
            for (int l = 0; l < images.length; l++) {
                batch.layer(handles[l][(t >>> (3 * l)) & 7], l == 0 ? BlendMode.NORMAL : mode, 255);
            }
            batchCompositor.composite(batch, outs);
            return out;
        }
        ops.clear();
        for (int l = 0; l < images.length; l++) {
            int trait = (t >>> (3 * l)) & 7;
            ops.add(new LayerOp(images[l][trait], l == 0 ? BlendMode.NORMAL : mode, 255));
        }
        compositor.composite(ops, 0, out);
        return out;
    }

    /** The premultiplied benchmark art as straight RGBA8, as a PNG of it would store it. */
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
