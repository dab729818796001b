package io.serigraph.engine.opencl;

import io.serigraph.engine.composite.BatchCompositor;
import io.serigraph.engine.composite.CompositeBatch;
import io.serigraph.engine.composite.Compositor;
import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.composite.RowSpans;
import io.serigraph.engine.image.RgbaImage;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Compositing on an OpenCL device, bit for bit the same as {@link
 * io.serigraph.engine.composite.JavaCompositor} ({@code composite.cl}, pixel-math version 2).
 *
 * <p>Trait layers are {@linkplain #upload uploaded} once into one resident device buffer (the layer
 * bank, grown by doubling) with their alpha modes; a {@link CompositeBatch} is composited in one
 * kernel launch per chunk of tokens (one work-item per output pixel per token, the layer fold in
 * registers), and each token's result is read into the caller's reused output image. The {@link
 * io.serigraph.engine.composite.Compositor} method uploads its layers for that call only.
 *
 * <pre>{@code
 * try (OpenClCompositor compositor = OpenClCompositor.open(OpenClDevices.cached().best(), 512, 512)) {
 *     int body = compositor.upload(bodyLayer);
 *     ...
 *     compositor.composite(batch, outs);
 * }
 * }</pre>
 *
 * <p>Owns its OpenCL context: closing the compositor releases every device object it made (and its
 * {@link #resampler()}), newest first. Not thread-safe: use one per thread.
 */
public final class OpenClCompositor implements BatchCompositor {
    /** The most tokens one kernel launch composites; larger batches run in chunks. */
    static final int MAX_CHUNK_TOKENS = 256;

    private final OpenClRuntime runtime;
    private final int width;
    private final int height;
    private final int pixels;
    private final long layerBytes;
    private final int chunkTokens;
    private final cl_kernel kernel;
    private final int[] pixelsHost = new int[1];
    private final Pointer pixelsArg = Pointer.to(pixelsHost);
    private final int[] widthHost = new int[1];
    private final Pointer widthArg = Pointer.to(widthHost);

    private cl_mem bank;
    private int bankCapacity;
    private cl_mem straight;
    private int[] straightHost = new int[0];
    private int layerCount;

    private final DeviceInts tokens;
    private final DeviceInts ops;
    private final ImageSlots outputs;
    private final ImageSlots scratchLayers;
    private final DeviceInts scratchStraight;
    private final DeviceInts spans;
    private final DeviceInts scratchSpans;
    private int[] spansHost = new int[0];
    private boolean spansStale;
    private final RgbaImage[] singleOut = new RgbaImage[1];
    private final long[] globalSize = new long[2];
    private final long[] localSize = new long[2];

    private OpenClResampler resampler;
    private boolean closed;

    private OpenClCompositor(OpenClRuntime runtime, int width, int height) {
        this.runtime = runtime;
        this.width = width;
        this.height = height;
        this.pixels = width * height;
        this.layerBytes = 4L * pixels;
        long fit = runtime.device().maxAllocBytes() / layerBytes;
        if (fit < 1) {
            throw new OpenClException(
                    "a "
                            + width
                            + "x"
                            + height
                            + " canvas does not fit one buffer of "
                            + runtime.device().describe(),
                    CL.CL_INVALID_BUFFER_SIZE);
        }
        this.chunkTokens = (int) Math.min(MAX_CHUNK_TOKENS, fit);
        this.kernel = runtime.kernel("composite_tokens");
        this.tokens = new DeviceInts(runtime);
        this.ops = new DeviceInts(runtime);
        this.outputs = new ImageSlots(runtime);
        this.scratchLayers = new ImageSlots(runtime);
        this.scratchStraight = new DeviceInts(runtime);
        this.spans = new DeviceInts(runtime);
        this.scratchSpans = new DeviceInts(runtime);
        growBank();
    }

    /**
     * Opens a compositor for {@code width x height} canvases on {@code device}: creates a context
     * and queue there and builds the kernels.
     *
     * @throws OpenClException when the device refuses (the message names the call, or carries the
     *     build log)
     */
    public static OpenClCompositor open(OpenClDevice device, int width, int height) {
        Objects.requireNonNull(device, "device");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "canvas size must be positive, was " + width + "x" + height);
        }
        if ((long) width * height > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(
                    "canvas " + width + "x" + height + " is too large for one image");
        }
        OpenClRuntime runtime = OpenClRuntime.open(device);
        try {
            return new OpenClCompositor(runtime, width, height);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public String device() {
        return runtime.device().describe();
    }

    /** The device this compositor runs on. */
    public OpenClDevice openClDevice() {
        return runtime.device();
    }

    @Override
    public int upload(RgbaImage layer) {
        ensureOpen();
        Objects.requireNonNull(layer, "layer");
        if (layer.width() != width || layer.height() != height) {
            throw new IllegalArgumentException(
                    "layer is "
                            + layer.width()
                            + "x"
                            + layer.height()
                            + " but the canvas is "
                            + width
                            + "x"
                            + height);
        }
        if (layerCount == bankCapacity) {
            growBank();
        }
        int handle = layerCount;
        Cl.check(
                CL.clEnqueueWriteBuffer(
                        runtime.queue(),
                        bank,
                        true,
                        handle * layerBytes,
                        layerBytes,
                        Pointer.to(layer.pixels()),
                        0,
                        null,
                        null),
                "clEnqueueWriteBuffer(layer " + handle + ")");
        straightHost[handle] = layer.isPremultiplied() ? 0 : 1;
        Cl.check(
                CL.clEnqueueWriteBuffer(
                        runtime.queue(),
                        straight,
                        true,
                        (long) handle * Sizeof.cl_int,
                        Sizeof.cl_int,
                        Pointer.to(straightHost).withByteOffset((long) handle * Sizeof.cl_int),
                        0,
                        null,
                        null),
                "clEnqueueWriteBuffer(alpha mode of layer " + handle + ")");
        int rowInts = 2 * height;
        if (spansHost.length < (handle + 1) * rowInts) {
            spansHost =
                    Arrays.copyOf(
                            spansHost, Math.max((handle + 1) * rowInts, 2 * spansHost.length));
        }
        RowSpans.into(layer, spansHost, handle * rowInts);
        spansStale = true;
        layerCount++;
        return handle;
    }

    /** Doubles the layer bank (and its alpha-mode table), copying the resident layers over. */
    private void growBank() {
        long maxLayers = runtime.device().maxAllocBytes() / layerBytes;
        if (bankCapacity >= maxLayers) {
            throw new OpenClException(
                    "cannot keep more than "
                            + bankCapacity
                            + " layers of "
                            + width
                            + "x"
                            + height
                            + " resident: "
                            + runtime.device().describe()
                            + " allows at most "
                            + runtime.device().maxAllocBytes()
                            + " bytes in one buffer",
                    CL.CL_INVALID_BUFFER_SIZE);
        }
        int capacity = (int) Math.min(maxLayers, Math.max(1L, 2L * bankCapacity));
        cl_mem grown = runtime.buffer(CL.CL_MEM_READ_ONLY, capacity * layerBytes);
        cl_mem grownStraight = runtime.buffer(CL.CL_MEM_READ_ONLY, (long) capacity * Sizeof.cl_int);
        if (layerCount > 0) {
            Cl.check(
                    CL.clEnqueueCopyBuffer(
                            runtime.queue(),
                            bank,
                            grown,
                            0,
                            0,
                            layerCount * layerBytes,
                            0,
                            null,
                            null),
                    "clEnqueueCopyBuffer(layer bank)");
            Cl.check(
                    CL.clEnqueueCopyBuffer(
                            runtime.queue(),
                            straight,
                            grownStraight,
                            0,
                            0,
                            (long) layerCount * Sizeof.cl_int,
                            0,
                            null,
                            null),
                    "clEnqueueCopyBuffer(alpha modes)");
            runtime.finish();
        }
        runtime.release(straight);
        runtime.release(bank);
        bank = grown;
        straight = grownStraight;
        straightHost = Arrays.copyOf(straightHost, capacity);
        bankCapacity = capacity;
    }

    @Override
    public int layerCount() {
        return layerCount;
    }

    @Override
    public void composite(CompositeBatch batch, RgbaImage[] outs) {
        ensureOpen();
        Objects.requireNonNull(batch, "batch");
        batch.check(layerCount, width, height, outs);
        if (spansStale) {
            // Every resident layer's row spans, sent once after the uploads that changed them.
            spans.upload(Arrays.copyOf(spansHost, layerCount * 2 * height));
            spansStale = false;
        }
        for (int start = 0; start < batch.tokens(); start += chunkTokens) {
            int end = Math.min(batch.tokens(), start + chunkTokens);
            int firstOp = batch.firstLayer(start);
            int opCount = batch.endLayer(end - 1) - firstOp;
            int[] t = tokens.host(4 * (end - start));
            for (int k = 0; k < end - start; k++) {
                t[4 * k] = batch.firstLayer(start + k) - firstOp;
                t[4 * k + 1] = batch.endLayer(start + k) - firstOp;
                t[4 * k + 2] = batch.background(start + k);
                t[4 * k + 3] = 0;
            }
            int[] o = ops.host(4 * opCount);
            for (int k = 0; k < opCount; k++) {
                o[4 * k] = batch.handle(firstOp + k);
                o[4 * k + 1] = batch.mode(firstOp + k).ordinal();
                o[4 * k + 2] = batch.opacity(firstOp + k);
                o[4 * k + 3] = 0;
            }
            tokens.upload(4 * (end - start));
            ops.upload(4 * opCount);
            run(bank, straight, spans, width, end - start, pixels, layerBytes);
            outputs.read(outs, start, end, layerBytes);
        }
    }

    @Override
    public void composite(List<LayerOp> layers, int backgroundRgba, RgbaImage out) {
        ensureOpen();
        Compositor.checkArguments(layers, out);
        int n = layers.size();
        long bytes = 4L * out.width() * out.height();
        scratchLayers.write(layers, bytes);
        int rowInts = 2 * out.height();
        int[] rows = scratchSpans.host(n * rowInts);
        for (int i = 0; i < n; i++) {
            RowSpans.into(layers.get(i).image(), rows, i * rowInts);
        }
        scratchSpans.upload(n * rowInts);
        int[] s = scratchStraight.host(n);
        int[] o = ops.host(4 * n);
        for (int i = 0; i < n; i++) {
            LayerOp layer = layers.get(i);
            s[i] = layer.image().isPremultiplied() ? 0 : 1;
            o[4 * i] = i;
            o[4 * i + 1] = layer.mode().ordinal();
            o[4 * i + 2] = layer.opacity();
            o[4 * i + 3] = 0;
        }
        int[] t = tokens.host(4);
        t[0] = 0;
        t[1] = n;
        t[2] = backgroundRgba;
        t[3] = 0;
        scratchStraight.upload(n);
        ops.upload(4 * n);
        tokens.upload(4);
        run(
                scratchLayers.buffer(),
                scratchStraight.buffer(),
                scratchSpans,
                out.width(),
                1,
                (int) (bytes / 4),
                bytes);
        singleOut[0] = out;
        outputs.read(singleOut, 0, 1, bytes);
        singleOut[0] = null;
    }

    /**
     * One launch: {@code count} tokens of {@code pixelCount} pixels, rows of {@code rowWidth}, into
     * the output slots; each layer read only inside its row spans.
     */
    private void run(
            cl_mem layers,
            cl_mem straightModes,
            DeviceInts rowSpans,
            int rowWidth,
            int count,
            int pixelCount,
            long bytes) {
        cl_mem out = outputs.ensure(count, bytes);
        setMem(0, layers);
        setMem(1, straightModes);
        setMem(2, tokens.buffer());
        setMem(3, ops.buffer());
        pixelsHost[0] = pixelCount;
        Cl.check(CL.clSetKernelArg(kernel, 4, Sizeof.cl_int, pixelsArg), "clSetKernelArg(4)");
        setMem(5, out);
        setMem(6, rowSpans.buffer());
        widthHost[0] = rowWidth;
        Cl.check(CL.clSetKernelArg(kernel, 7, Sizeof.cl_int, widthArg), "clSetKernelArg(7)");
        runtime.enqueue(kernel, pixelCount, count, globalSize, localSize, "composite_tokens");
    }

    private void setMem(int index, cl_mem mem) {
        Cl.check(
                CL.clSetKernelArg(kernel, index, Sizeof.cl_mem, Pointer.to(mem)),
                "clSetKernelArg(" + index + ")");
    }

    /**
     * A resampler on this compositor's device and context, made on first use and closed with the
     * compositor.
     */
    public OpenClResampler resampler() {
        ensureOpen();
        if (resampler == null) {
            resampler = new OpenClResampler(runtime, false);
        }
        return resampler;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the compositor is closed");
        }
    }

    /** Releases every device object (the resident layers included) and the context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (resampler != null) {
            resampler.close();
        }
        runtime.close();
    }
}
