package io.serigraph.pipeline.render;

import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.Compositor;
import io.serigraph.engine.composite.JavaCompositor;
import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.engine.png.PngEncoder.FilterStrategy;
import io.serigraph.engine.resample.Resampler;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.spec.Canvas;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.OutputSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders on this machine with the Java pixel engine: composite the token's traits onto the canvas,
 * resample to the output size, encode PNG. Each rendering thread gets its own canvas, buffers and
 * encoder, reused for every token it renders, so the hot path allocates only the encoded bytes.
 */
public final class LocalRenderBackend implements RenderBackend {
    private final CollectionSpec spec;
    private final TraitLibrary library;
    private final List<Worker> workers = new ArrayList<>();
    private final ThreadLocal<Worker> worker = ThreadLocal.withInitial(this::newWorker);

    public LocalRenderBackend(CollectionSpec spec, TraitLibrary library) {
        this.spec = spec;
        this.library = library;
    }

    @Override
    public byte[] render(PlannedToken token) throws Exception {
        return worker.get().render(token);
    }

    @Override
    public String version() {
        Canvas c = spec.canvas();
        OutputSpec o = spec.output();
        return String.format(
                Locale.ROOT,
                "pixel-math/%d png/%d filter=%s level=%d canvas=%dx%d background=%s"
                        + " output=%dx%d resample=%s",
                PixelMath.VERSION,
                PngEncoder.VERSION,
                FilterStrategy.ADAPTIVE.name().toLowerCase(Locale.ROOT),
                o.compression(),
                c.width(),
                c.height(),
                c.background() == null ? "none" : String.format("%08x", c.background()),
                o.width(),
                o.height(),
                o.resample().specName());
    }

    @Override
    public String device() {
        return "java";
    }

    private synchronized Worker newWorker() {
        Worker w = new Worker();
        workers.add(w);
        return w;
    }

    @Override
    public synchronized void close() {
        for (Worker w : workers) {
            w.compositor.close();
            w.encoder.close();
        }
        workers.clear();
    }

    /** One thread's reusable state. */
    private final class Worker {
        final Compositor compositor = new JavaCompositor();
        final RgbaImage canvas = new RgbaImage(spec.canvas().width(), spec.canvas().height());
        final boolean resize =
                spec.output().width() != canvas.width()
                        || spec.output().height() != canvas.height();
        final RgbaImage output =
                resize ? new RgbaImage(spec.output().width(), spec.output().height()) : canvas;
        final Resampler resampler = new Resampler();
        final PngEncoder encoder =
                new PngEncoder(FilterStrategy.ADAPTIVE, spec.output().compression());
        final List<LayerOp> ops = new ArrayList<>(spec.layers().size());

        byte[] render(PlannedToken token) throws Exception {
            ops.clear();
            int[] traits = token.choices();
            for (int l = 0; l < traits.length; l++) {
                if (traits[l] >= 0) {
                    ops.add(new LayerOp(library.image(l, traits[l]), BlendMode.NORMAL, 255));
                }
            }
            Integer bg = spec.canvas().background();
            compositor.composite(ops, bg == null ? Compositor.TRANSPARENT : bg, canvas);
            if (resize) {
                resampler.resample(canvas, spec.output().resample(), output);
            }
            return encoder.encode(output);
        }
    }
}
