package io.serigraph.engine.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * One device's OpenCL context, in-order command queue and built program (every {@code .cl} file of
 * this package, loaded from the class path), and every kernel and buffer made from them. Objects
 * are released in reverse order of creation: a buffer replaced by a larger one is released at once
 * and the new one takes its place at the end; {@link #close()} releases everything left, newest
 * first, the context last.
 *
 * <p>Not thread-safe; owned by one {@link OpenClCompositor} or {@link OpenClResampler}.
 */
final class OpenClRuntime implements AutoCloseable {
    /** The kernel sources, in build order, relative to this package on the class path. */
    private static final String[] SOURCES = {"composite.cl", "resample.cl"};

    /** Work-items per work-group along the first dimension. */
    static final int GROUP_WIDTH = 64;

    private final OpenClDevice device;
    private final Map<cl_kernel, Long> groupWidths = new IdentityHashMap<>();
    private final List<Object> objects = new ArrayList<>();
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_program program;
    private boolean closed;

    private OpenClRuntime(OpenClDevice device) {
        this.device = device;
        cl_device_id[] ids = {device.device()};
        int[] code = new int[1];
        try {
            context = CL.clCreateContext(null, 1, ids, null, null, code);
            Cl.check(code[0], "clCreateContext");
            objects.add(context);
            @SuppressWarnings("deprecation") // clCreateCommandQueue is the OpenCL 1.2 call
            cl_command_queue q = CL.clCreateCommandQueue(context, device.device(), 0, code);
            Cl.check(code[0], "clCreateCommandQueue");
            queue = q;
            objects.add(queue);
            program = build(ids, code);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Creates the context and queue on {@code device} and builds the kernels. */
    static OpenClRuntime open(OpenClDevice device) {
        return new OpenClRuntime(device);
    }

    private cl_program build(cl_device_id[] ids, int[] code) {
        String[] sources = new String[SOURCES.length];
        for (int i = 0; i < SOURCES.length; i++) {
            sources[i] = source(SOURCES[i]);
        }
        cl_program p = CL.clCreateProgramWithSource(context, sources.length, sources, null, code);
        Cl.check(code[0], "clCreateProgramWithSource");
        objects.add(p);
        int built = CL.clBuildProgram(p, 1, ids, "", null, null);
        if (built != CL.CL_SUCCESS) {
            throw new OpenClException(
                    "the kernels "
                            + String.join(", ", SOURCES)
                            + " do not build on "
                            + device.describe()
                            + " ("
                            + CL.stringFor_errorCode(built)
                            + "):\n"
                            + buildLog(p),
                    built);
        }
        return p;
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(p, device.device(), CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) Math.max(1, size[0])];
        CL.clGetProgramBuildInfo(
                p, device.device(), CL.CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        int n = 0;
        while (n < log.length && log[n] != 0) {
            n++;
        }
        return new String(log, 0, n, StandardCharsets.UTF_8);
    }

    /** A kernel source file from this package on the class path. */
    static String source(String name) {
        try (InputStream in = OpenClRuntime.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "kernel source "
                                + name
                                + " is missing from the class path (io/serigraph/engine/opencl/)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + name, e);
        }
    }

    OpenClDevice device() {
        return device;
    }

    cl_command_queue queue() {
        return queue;
    }

    /** A kernel of the program, released with the runtime. */
    cl_kernel kernel(String name) {
        ensureOpen();
        int[] code = new int[1];
        cl_kernel k = CL.clCreateKernel(program, name, code);
        Cl.check(code[0], "clCreateKernel(" + name + ")");
        objects.add(k);
        return k;
    }

    /**
     * A device buffer of {@code bytes} bytes (at least 1), released with the runtime.
     *
     * @throws OpenClException when it exceeds the device's largest buffer or allocation fails
     */
    cl_mem buffer(long flags, long bytes) {
        ensureOpen();
        long size = Math.max(1, bytes);
        if (size > device.maxAllocBytes()) {
            throw new OpenClException(
                    "a buffer of "
                            + size
                            + " bytes exceeds the largest "
                            + device.describe()
                            + " allows ("
                            + device.maxAllocBytes()
                            + " bytes)",
                    CL.CL_INVALID_BUFFER_SIZE);
        }
        int[] code = new int[1];
        cl_mem m = CL.clCreateBuffer(context, flags, size, null, code);
        Cl.check(code[0], "clCreateBuffer(" + size + " bytes)");
        objects.add(m);
        return m;
    }

    /** Releases one object made by this runtime now (a buffer being replaced, a child's kernel). */
    void release(Object object) {
        if (object != null && objects.remove(object)) {
            groupWidths.remove(object);
            releaseOne(object);
        }
    }

    /**
     * Enqueues {@code kernel} over a 2-D range of at least {@code x * y} work-items, in work-groups
     * of {@link #GROUP_WIDTH} x 1 (fewer where the kernel allows fewer); the first dimension is
     * rounded up to whole groups, so kernels check their bounds. A fixed group shape keeps drivers
     * that compile one variant per shape (PoCL) from recompiling for every image size.
     */
    void enqueue(cl_kernel kernel, long x, long y, long[] global, long[] local, String name) {
        long group = groupWidth(kernel);
        local[0] = group;
        local[1] = 1;
        global[0] = (x + group - 1) / group * group;
        global[1] = y;
        Cl.check(
                CL.clEnqueueNDRangeKernel(queue, kernel, 2, null, global, local, 0, null, null),
                "clEnqueueNDRangeKernel(" + name + ")");
    }

    private long groupWidth(cl_kernel kernel) {
        Long cached = groupWidths.get(kernel);
        if (cached == null) {
            long[] max = new long[1];
            Cl.check(
                    CL.clGetKernelWorkGroupInfo(
                            kernel,
                            device.device(),
                            CL.CL_KERNEL_WORK_GROUP_SIZE,
                            Sizeof.size_t,
                            Pointer.to(max),
                            null),
                    "clGetKernelWorkGroupInfo");
            long width = GROUP_WIDTH;
            while (width > max[0] && width > 1) {
                width >>= 1;
            }
            cached = width;
            groupWidths.put(kernel, cached);
        }
        return cached;
    }

    /** Blocks until every queued command has finished. */
    void finish() {
        Cl.check(CL.clFinish(queue), "clFinish");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the OpenCL runtime is closed");
        }
    }

    /** Releases every object, newest first: buffers and kernels, the program, queue, context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (queue != null) {
            CL.clFinish(queue);
        }
        for (int i = objects.size() - 1; i >= 0; i--) {
            releaseOne(objects.get(i));
        }
        objects.clear();
    }

    private static void releaseOne(Object o) {
        if (o instanceof cl_mem m) {
            CL.clReleaseMemObject(m);
        } else if (o instanceof cl_kernel k) {
            CL.clReleaseKernel(k);
        } else if (o instanceof cl_program p) {
            CL.clReleaseProgram(p);
        } else if (o instanceof cl_command_queue q) {
            CL.clReleaseCommandQueue(q);
        } else if (o instanceof cl_context c) {
            CL.clReleaseContext(c);
        } else {
            throw new AssertionError(o);
        }
    }
}
