package io.serigraph.pipeline.render;

import io.serigraph.engine.composite.BatchCompositor;
import io.serigraph.engine.composite.BlendMode;
import io.serigraph.engine.composite.CompositeBatch;
import io.serigraph.engine.composite.Compositor;
import io.serigraph.engine.composite.CompositorProvider;
import io.serigraph.engine.composite.ComputeDevices;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.engine.composite.JavaBatchCompositor;
import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.composite.RowRuns;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.engine.resample.Resampler;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.spec.Canvas;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.OutputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders on this machine: composite the token's traits onto the canvas on the chosen compute
 * device (OpenCL or Java, bit-identical; see {@link ComputeDevices}), resample to the output size,
 * encode PNG. Each rendering thread gets its own compositor with every trait layer resident, and
 * its own canvases, buffers and encoder, reused for every token it renders, so the hot path
 * allocates only the encoded bytes. A {@linkplain #renderBatch batch} is composited {@link
 * #GPU_BATCH} tokens per launch on an OpenCL GPU, the results read back into the thread's reused
 * canvases ({@link #CPU_OPENCL_BATCH} per launch on a CPU OpenCL device).
 */
public final class LocalRenderBackend implements RenderBackend {
    private final CollectionSpec spec;
    private final TraitLibrary library;
    private final List<Worker> workers = new ArrayList<>();

    /**
     * On the Java path, each trait's {@link RowRuns} (key {@code layer << 20 | trait}), made once
     * for all workers: every worker needs every trait's, and the first tokens wait for them.
     */
    private final ConcurrentHashMap<Integer, RowRuns> traitRuns = new ConcurrentHashMap<>();

    private final ThreadLocal<Worker> worker = ThreadLocal.withInitial(this::newWorker);
    private final ComputeDevices.Choice device;
    private final int batchSize;

    /** {@link #version(CollectionSpec)} of the spec, made once: every token's lineage names it. */
    private final String version;

    /**
     * Tokens per launch on an OpenCL GPU: enough to amortise the launch and the read-back over the
     * bus, while one thread's reused outputs stay at 32 canvases.
     */
    static final int GPU_BATCH = 32;

    /**
     * Tokens per launch on a CPU OpenCL device (PoCL): one. There a launch costs next to nothing to
     * amortise, and a batch's outputs (1 MiB per 512x512 token) only push each other out of the
     * cache before they are encoded: measured on PoCL, 2, 4 and 16 tokens per launch took 1.6 to 2
     * times as long per token as 1 (benchmarks/README.md).
     */
    static final int CPU_OPENCL_BATCH = 1;

    /** Tokens per Java batch: the Java path gains nothing from more; it only holds canvases. */
    static final int JAVA_BATCH = 4;

    /** A backend on the device {@code setting} chooses (see {@link DeviceSetting#resolve}). */
    public LocalRenderBackend(CollectionSpec spec, TraitLibrary library, DeviceSetting setting) {
        this(spec, library, setting, 0);
    }

    /** As above, compositing {@code batchSize} tokens per launch (0: the device's default). */
    LocalRenderBackend(
            CollectionSpec spec, TraitLibrary library, DeviceSetting setting, int batchSize) {
        this.spec = spec;
        this.library = library;
        this.device = ComputeDevices.choose(setting);
        this.batchSize = batchSize > 0 ? batchSize : defaultBatch(device);
        this.version = version(spec);
    }

    /** A backend on the Java path. */
    public LocalRenderBackend(CollectionSpec spec, TraitLibrary library) {
        this(spec, library, DeviceSetting.JAVA);
    }

    private static int defaultBatch(ComputeDevices.Choice device) {
        if (device.backend().equals("java")) {
            return JAVA_BATCH;
        }
        return device.availability().rank() >= CompositorProvider.RANK_GPU
                ? GPU_BATCH
                : CPU_OPENCL_BATCH;
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
    public void renderBatch(List<PlannedToken> tokens, int[] oneOfOnes, byte[][] out)
            throws Exception {
        worker.get().renderBatch(tokens, oneOfOnes, out);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    private int layerCount() {
        return Math.max(1, spec.layers().size());
    }

    @Override
    public String version() {
        return version;
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
        Worker w = new Worker(workers.size());
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
        traitRuns.clear();
    }

    /** One thread's reusable state. */
    private final class Worker {
        final int index;
        final BatchCompositor compositor =
                device.open(spec.canvas().width(), spec.canvas().height());
        final int[][] handles;
        final int[] oneHandles = uploadOneOfOnes(compositor);
        final CompositeBatch batch = new CompositeBatch(batchSize, batchSize * layerCount());
        final RgbaImage[] canvases = new RgbaImage[batchSize];
        final boolean resize =
                spec.output().width() != spec.canvas().width()
                        || spec.output().height() != spec.canvas().height();
        final RgbaImage output =
                resize ? new RgbaImage(spec.output().width(), spec.output().height()) : null;
        final Resampler resampler = new Resampler();
        final PngEncoder encoder = new PngEncoder(spec.output().compression());
        final List<PlannedToken> one = Arrays.asList(new PlannedToken[1]);
        final int[] oneIndex = new int[1];
        final byte[][] onePng = new byte[1][];

        Worker(int index) {
            this.index = index;
            this.handles = uploadTraits(compositor);
            for (int k = 0; k < canvases.length; k++) {
                canvases[k] = new RgbaImage(spec.canvas().width(), spec.canvas().height());
            }
        }

        byte[] render(PlannedToken token) throws Exception {
            one.set(0, token);
            oneIndex[0] = -1;
            renderBatch(one, oneIndex, onePng);
            return onePng[0];
        }

        byte[] renderOneOfOne(int j) throws Exception {
            one.set(0, null);
            oneIndex[0] = j;
            renderBatch(one, oneIndex, onePng);
            return onePng[0];
        }

        /** Composites up to {@code batchSize} tokens per launch, then encodes each. */
        void renderBatch(List<PlannedToken> tokens, int[] oneOfOnes, byte[][] out)
                throws Exception {
            Integer bg = spec.canvas().background();
            int background = bg == null ? Compositor.TRANSPARENT : bg;
            for (int start = 0; start < tokens.size(); start += batchSize) {
                int end = Math.min(tokens.size(), start + batchSize);
                batch.clear();
                for (int k = start; k < end; k++) {
                    batch.token(background);
                    if (oneOfOnes[k] >= 0) {
                        batch.layer(oneHandles[oneOfOnes[k]], BlendMode.NORMAL, 255);
                        continue;
                    }
                    int[] traits = tokens.get(k).choices();
                    for (int l = 0; l < traits.length; l++) {
                        if (traits[l] >= 0) {
                            batch.layer(handles[l][traits[l]], BlendMode.NORMAL, 255);
                        }
                    }
                }
                compositor.composite(batch, canvases);
                for (int k = start; k < end; k++) {
                    RgbaImage canvas = canvases[k - start];
                    if (resize) {
                        resampler.resample(canvas, spec.output().resample(), output);
                    }
                    out[k] = encoder.encode(resize ? output : canvas);
                }
            }
        }

        private int[] uploadOneOfOnes(BatchCompositor c) {
            int[] h = new int[spec.oneOfOnes().size()];
            for (int j = 0; j < h.length; j++) {
                h[j] = c.upload(library.oneOfOne(j));
            }
            return h;
        }

        /**
         * Makes every drawable trait resident; handles[layer][trait], -1 for weight-0 traits. On
         * the Java path odd workers go from the last trait to the first, so that two workers
         * starting together each make about half of the shared row runs.
         */
        private int[][] uploadTraits(BatchCompositor c) {
            int layers = spec.layers().size();
            int[][] h = new int[layers][];
            for (int l = 0; l < layers; l++) {
                h[l] = new int[spec.layers().get(l).traits().size()];
            }
            boolean reverse = c instanceof JavaBatchCompositor && index % 2 == 1;
            for (int k = 0; k < layers; k++) {
                int l = reverse ? layers - 1 - k : k;
                for (int j = 0; j < h[l].length; j++) {
                    int t = reverse ? h[l].length - 1 - j : j;
                    RgbaImage image = library.image(l, t);
                    h[l][t] = image == null ? -1 : upload(c, image, l, t);
                }
            }
            return h;
        }

        private int upload(BatchCompositor c, RgbaImage image, int layer, int trait) {
            if (c instanceof JavaBatchCompositor java) {
                return java.upload(
                        image,
                        traitRuns.computeIfAbsent(layer << 20 | trait, k -> RowRuns.of(image)));
            }
            return c.upload(image);
        }
    }
}
