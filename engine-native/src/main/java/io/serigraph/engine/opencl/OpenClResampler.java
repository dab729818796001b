package io.serigraph.engine.opencl;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.resample.LanczosWeights;
import io.serigraph.engine.resample.ResampleFilter;
import java.util.Objects;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Resampling on an OpenCL device, bit for bit the same as {@link
 * io.serigraph.engine.resample.Resampler} ({@code resample.cl}): {@link ResampleFilter#NEAREST}
 * with the exact 64-bit pixel-centre mapping, and {@link ResampleFilter#LANCZOS3} in two passes
 * (horizontal, then vertical) with the Java {@link LanczosWeights} tables uploaded as data, never
 * recomputed on the device. Equal sizes are an exact copy (done on the host).
 *
 * <p>Like {@code Resampler}, it keeps the tables of the last size pair of each axis and its device
 * buffers, so resampling token after token at the same sizes reuses them. Not thread-safe. Closing
 * it releases its device objects; one made by {@link OpenClCompositor#resampler()} is closed with
 * its compositor.
 */
public final class OpenClResampler implements AutoCloseable {
    private final OpenClRuntime runtime;
    private final boolean ownsRuntime;
    private final cl_kernel nearest;
    private final cl_kernel horizontal;
    private final cl_kernel vertical;
    private final ImageSlots source;
    private final ImageSlots middle;
    private final ImageSlots target;
    private final Table tableX;
    private final Table tableY;
    private final RgbaImage[] singleOut = new RgbaImage[1];
    private final long[] globalSize = new long[2];
    private final long[] localSize = new long[2];
    private final int[] one = new int[1];
    private final Pointer oneArg = Pointer.to(one);
    private boolean closed;

    OpenClResampler(OpenClRuntime runtime, boolean ownsRuntime) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.nearest = runtime.kernel("resample_nearest");
        this.horizontal = runtime.kernel("lanczos_horizontal");
        this.vertical = runtime.kernel("lanczos_vertical");
        this.source = new ImageSlots(runtime);
        this.middle = new ImageSlots(runtime);
        this.target = new ImageSlots(runtime);
        this.tableX = new Table(runtime);
        this.tableY = new Table(runtime);
    }

    /** Opens a resampler with its own context on {@code device}. */
    public static OpenClResampler open(OpenClDevice device) {
        Objects.requireNonNull(device, "device");
        OpenClRuntime runtime = OpenClRuntime.open(device);
        try {
            return new OpenClResampler(runtime, true);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * Resamples {@code src} into {@code out}, whose size is the target size; every pixel of {@code
     * out} is overwritten. Same contract as {@link
     * io.serigraph.engine.resample.Resampler#resample(RgbaImage, ResampleFilter, RgbaImage)}.
     *
     * @throws IllegalArgumentException when an image is not premultiplied, or {@code out} shares
     *     {@code src}'s pixel array at a different size
     */
    public void resample(RgbaImage src, ResampleFilter filter, RgbaImage out) {
        ensureOpen();
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(out, "out");
        if (!src.isPremultiplied() || !out.isPremultiplied()) {
            throw new IllegalArgumentException(
                    "resampling works on premultiplied images; the "
                            + (src.isPremultiplied() ? "output" : "source")
                            + " is "
                            + (src.isPremultiplied() ? out : src).alphaMode());
        }
        int sw = src.width();
        int sh = src.height();
        int dw = out.width();
        int dh = out.height();
        boolean sameSize = sw == dw && sh == dh;
        if (src.pixels() == out.pixels()) {
            if (sameSize) {
                return;
            }
            throw new IllegalArgumentException(
                    "the output image shares its pixels with the "
                            + sw
                            + "x"
                            + sh
                            + " source; resampling needs a separate output");
        }
        if (sameSize) {
            System.arraycopy(src.pixels(), 0, out.pixels(), 0, out.pixels().length);
            return;
        }
        source.upload(src);
        long outBytes = 4L * dw * dh;
        cl_mem dst = target.ensure(1, outBytes);
        switch (filter) {
            case NEAREST -> launch(nearest, source.buffer(), sw, sh, dst, dw, dh);
            case LANCZOS3 -> lanczos(sw, sh, dst, dw, dh);
            default -> throw new AssertionError(filter);
        }
        singleOut[0] = out;
        target.read(singleOut, 0, 1, outBytes);
        singleOut[0] = null;
    }

    private void lanczos(int sw, int sh, cl_mem dst, int dw, int dh) {
        if (sh == dh) {
            pass(horizontal, source.buffer(), sw, sh, dst, dw, tableX.of(sw, dw));
        } else if (sw == dw) {
            pass(vertical, source.buffer(), dw, sh, dst, dh, tableY.of(sh, dh));
        } else {
            cl_mem mid = middle.ensure(1, 4L * dw * sh);
            pass(horizontal, source.buffer(), sw, sh, mid, dw, tableX.of(sw, dw));
            pass(vertical, mid, dw, sh, dst, dh, tableY.of(sh, dh));
        }
    }

    /** resample_nearest(src, sw, sh, dst, dw, dh) over (dw, dh). */
    private void launch(cl_kernel k, cl_mem src, int sw, int sh, cl_mem dst, int dw, int dh) {
        mem(k, 0, src);
        integer(k, 1, sw);
        integer(k, 2, sh);
        mem(k, 3, dst);
        integer(k, 4, dw);
        integer(k, 5, dh);
        enqueue(k, dw, dh, "resample_nearest");
    }

    /**
     * lanczos_horizontal(src, sw, rows, dst, dw, ...) over (dw, rows), or lanczos_vertical(src,
     * width, sh, dst, dh, ...) over (width, dh): the same argument list.
     */
    private void pass(cl_kernel k, cl_mem src, int a, int b, cl_mem dst, int c, Table t) {
        mem(k, 0, src);
        integer(k, 1, a);
        integer(k, 2, b);
        mem(k, 3, dst);
        integer(k, 4, c);
        mem(k, 5, t.first.buffer());
        mem(k, 6, t.count.buffer());
        mem(k, 7, t.weights.buffer());
        integer(k, 8, t.taps);
        if (k == horizontal) {
            enqueue(k, c, b, "lanczos_horizontal");
        } else {
            enqueue(k, a, c, "lanczos_vertical");
        }
    }

    private void mem(cl_kernel k, int index, cl_mem m) {
        Cl.check(CL.clSetKernelArg(k, index, Sizeof.cl_mem, Pointer.to(m)), "clSetKernelArg");
    }

    private void integer(cl_kernel k, int index, int value) {
        one[0] = value;
        Cl.check(CL.clSetKernelArg(k, index, Sizeof.cl_int, oneArg), "clSetKernelArg");
    }

    private void enqueue(cl_kernel k, int x, int y, String name) {
        runtime.enqueue(k, x, y, globalSize, localSize, name);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the resampler is closed");
        }
    }

    /**
     * Releases this resampler's device objects, newest first (and the context, when it has its
     * own).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsRuntime) {
            runtime.close();
        } else {
            tableY.release();
            tableX.release();
            target.release();
            middle.release();
            source.release();
            runtime.release(vertical);
            runtime.release(horizontal);
            runtime.release(nearest);
        }
    }

    /** One axis's Lanczos table on the device, for the size pair it was last asked for. */
    private static final class Table {
        final DeviceInts first;
        final DeviceInts count;
        final DeviceInts weights;
        int srcSize;
        int dstSize;
        int taps;

        Table(OpenClRuntime runtime) {
            first = new DeviceInts(runtime);
            count = new DeviceInts(runtime);
            weights = new DeviceInts(runtime);
        }

        /** This table, uploaded from {@link LanczosWeights#of} when the size pair changed. */
        Table of(int src, int dst) {
            if (src != srcSize || dst != dstSize) {
                LanczosWeights w = LanczosWeights.of(src, dst);
                first.upload(w.firsts());
                count.upload(w.counts());
                weights.upload(w.weights());
                taps = w.taps();
                srcSize = src;
                dstSize = dst;
            }
            return this;
        }

        void release() {
            weights.release();
            count.release();
            first.release();
        }
    }
}
