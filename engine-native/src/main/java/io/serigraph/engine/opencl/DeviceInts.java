package io.serigraph.engine.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * A small int array mirrored on the device (per-batch token and layer tables, lookup tables): a
 * host array and a read-only device buffer, both grown only when a larger size is asked for, so
 * refilling them allocates nothing.
 */
final class DeviceInts {
    private final OpenClRuntime runtime;
    private int[] host = new int[0];
    private Pointer hostPointer = Pointer.to(host);
    private cl_mem buffer;
    private int capacity;

    DeviceInts(OpenClRuntime runtime) {
        this.runtime = runtime;
    }

    /** The host array, at least {@code n} long, to fill before {@link #upload(int)}. */
    int[] host(int n) {
        if (host.length < n) {
            host = new int[Math.max(n, 2 * host.length)];
            hostPointer = Pointer.to(host);
        }
        return host;
    }

    /** Copies the first {@code n} ints of the host array to the device (blocking). */
    void upload(int n) {
        ensure(n);
        if (n > 0) {
            Cl.check(
                    CL.clEnqueueWriteBuffer(
                            runtime.queue(),
                            buffer,
                            true,
                            0,
                            (long) n * Sizeof.cl_int,
                            hostPointer,
                            0,
                            null,
                            null),
                    "clEnqueueWriteBuffer");
        }
    }

    /** Copies {@code values} to the device. */
    void upload(int[] values) {
        System.arraycopy(values, 0, host(values.length), 0, values.length);
        upload(values.length);
    }

    /** The device buffer (valid, if only one int long, even before the first upload). */
    cl_mem buffer() {
        ensure(1);
        return buffer;
    }

    private void ensure(int n) {
        if (buffer == null || capacity < n) {
            int grown = Math.max(n, Math.max(1, 2 * capacity));
            cl_mem next = runtime.buffer(CL.CL_MEM_READ_ONLY, (long) grown * Sizeof.cl_int);
            runtime.release(buffer);
            buffer = next;
            capacity = grown;
        }
    }

    /** Releases the device buffer now. */
    void release() {
        runtime.release(buffer);
        buffer = null;
        capacity = 0;
    }
}
