package io.serigraph.pipeline.render;

import io.serigraph.engine.composite.BatchCompositor;
import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.CompositeBatch;
import io.serigraph.engine.composite.Compositor;
import io.serigraph.engine.composite.ComputeDevices;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.engine.resample.Resampler;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.spec.Canvas;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.OutputSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders on this machine: composite the token's traits onto the canvas on the chosen compute
 * device (OpenCL or Java, bit-identical; see {@link ComputeDevices}), resample to the output size,
 * encode PNG. Each rendering thread gets its own compositor with every trait layer resident, and
 * its own canvas, buffers and encoder, reused for every token it renders, so the hot path allocates
 * only the encoded bytes.
 */
public final class LocalRenderBackend implements RenderBackend {
    private final CollectionSpec spec;
    private final TraitLibrary library;
    private final List<Worker> workers = new ArrayList<>();
    private final ThreadLocal<Worker> worker = ThreadLocal.withInitial(this::newWorker);
    private final ComputeDevices.Choice device;

    /** A backend on the device {@code setting} chooses (see {@link DeviceSetting#resolve}). */
    public LocalRenderBackend(CollectionSpec spec, TraitLibrary library, DeviceSetting setting) {
        this.spec = spec;
        this.library = library;
        this.device = ComputeDevices.choose(setting);
    }

    /** A backend on the Java path. */
    public LocalRenderBackend(CollectionSpec spec, TraitLibrary library) {
        this(spec, library, DeviceSetting.JAVA);
    }

    @Override
    public byte[] render(PlannedToken token) throws Exception {
        return worker.get().render(token);
    }

    @Override
    public byte[] renderOneOfOne(int j) throws Exception {
        return worker.get().renderOneOfOne(j);
    }

    @Override
    public String version() {
        return version(spec);
    }

    /**
     * The render version of {@code spec} on this engine, what {@link #version()} returns; a remote
     * backend compares a node's answer with it so lineage matches a local render.
     */
    public static String version(CollectionSpec spec) {
        Canvas c = spec.canvas();
        OutputSpec o = spec.output();
        return String.format(
                Locale.ROOT,
                "pixel-math/%d png/%d filter=%s level=%s canvas=%dx%d background=%s"
                        + " output=%dx%d resample=%s",
                PixelMath.VERSION,
                PngEncoder.VERSION,
                o.compression().filterStrategy().name().toLowerCase(Locale.ROOT),
                o.compression().specName(),
                c.width(),
                c.height(),
                c.background() == null ? "none" : String.format("%08x", c.background()),
                o.width(),
                o.height(),
                o.resample().specName());
    }

    @Override
    public String device() {
        return device.backend() + ": " + device.device();
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
        final BatchCompositor compositor =
                device.open(spec.canvas().width(), spec.canvas().height());
        final int[][] handles = uploadTraits(compositor);
        final int[] oneHandles = uploadOneOfOnes(compositor);
        final CompositeBatch batch = new CompositeBatch(1, spec.layers().size());
        final RgbaImage canvas = new RgbaImage(spec.canvas().width(), spec.canvas().height());
        final RgbaImage[] outs = {canvas};
        final boolean resize =
                spec.output().width() != canvas.width()
                        || spec.output().height() != canvas.height();
        final RgbaImage output =
                resize ? new RgbaImage(spec.output().width(), spec.output().height()) : canvas;
        final Resampler resampler = new Resampler();
        final PngEncoder encoder = new PngEncoder(spec.output().compression());

        byte[] render(PlannedToken token) throws Exception {
            startToken();
            int[] traits = token.choices();
            for (int l = 0; l < traits.length; l++) {
                if (traits[l] >= 0) {
                    batch.layer(handles[l][traits[l]], BlendMode.NORMAL, 255);
                }
            }
            return finish();
        }

        byte[] renderOneOfOne(int j) throws Exception {
            startToken();
            batch.layer(oneHandles[j], BlendMode.NORMAL, 255);
            return finish();
        }

        private void startToken() {
            Integer bg = spec.canvas().background();
            batch.clear().token(bg == null ? Compositor.TRANSPARENT : bg);
        }

        private byte[] finish() throws Exception {
            compositor.composite(batch, outs);
            if (resize) {
                resampler.resample(canvas, spec.output().resample(), output);
            }
            return encoder.encode(output);
        }

        private int[] uploadOneOfOnes(BatchCompositor c) {
            int[] h = new int[spec.oneOfOnes().size()];
            for (int j = 0; j < h.length; j++) {
                h[j] = c.upload(library.oneOfOne(j));
            }
            return h;
        }

        /** Makes every drawable trait resident; handles[layer][trait], -1 for weight-0 traits. */
        private int[][] uploadTraits(BatchCompositor c) {
            int[][] h = new int[spec.layers().size()][];
            for (int l = 0; l < h.length; l++) {
                h[l] = new int[spec.layers().get(l).traits().size()];
                for (int t = 0; t < h[l].length; t++) {
                    RgbaImage image = library.image(l, t);
                    h[l][t] = image == null ? -1 : c.upload(image);
                }
            }
            return h;
        }
    }
}
