package io.serigraph.engine.opencl;

import io.serigraph.engine.composite.LayerOp;
import io.serigraph.engine.image.RgbaImage;
import java.util.Arrays;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * A device buffer of equally sized RGBA8 images (slots), grown only when more or larger slots are
 * asked for, with reads into and writes from host images. The {@link Pointer} to each host image is
 * kept while the same image comes back in the same slot, so reading a batch into reused outputs
 * allocates nothing.
 */
final class ImageSlots {
    private final OpenClRuntime runtime;
    private cl_mem buffer;
    private long capacityBytes;
    private byte[][] arrays = new byte[0][];
    private Pointer[] pointers = new Pointer[0];

    ImageSlots(OpenClRuntime runtime) {
        this.runtime = runtime;
    }

    /** The buffer, with room for at least {@code count} images of {@code bytes} bytes each. */
    cl_mem ensure(int count, long bytes) {
        long needed = Math.max(1, count * bytes);
        if (buffer == null || capacityBytes < needed) {
            cl_mem next = runtime.buffer(CL.CL_MEM_READ_WRITE, needed);
            runtime.release(buffer);
            buffer = next;
            capacityBytes = needed;
        }
        return buffer;
    }

    /** The buffer (valid even before the first {@link #ensure}). */
    cl_mem buffer() {
        return ensure(1, 1);
    }

    /**
     * Reads slots {@code 0..end - start - 1} into {@code images[start..end - 1]}, each {@code
     * bytes} bytes, blocking until the last has arrived.
     */
    void read(RgbaImage[] images, int start, int end, long bytes) {
        for (int t = start; t < end; t++) {
            Cl.check(
                    CL.clEnqueueReadBuffer(
                            runtime.queue(),
                            buffer,
                            true,
                            (t - start) * bytes,
                            bytes,
                            pointer(t - start, images[t].pixels()),
                            0,
                            null,
                            null),
                    "clEnqueueReadBuffer(output " + t + ")");
        }
    }

    /** Writes each layer's image into the slot of its index, each {@code bytes} bytes. */
    void write(List<LayerOp> layers, long bytes) {
        int n = layers.size();
        ensure(n, bytes);
        for (int i = 0; i < n; i++) {
            Cl.check(
                    CL.clEnqueueWriteBuffer(
                            runtime.queue(),
                            buffer,
                            true,
                            i * bytes,
                            bytes,
                            Pointer.to(layers.get(i).image().pixels()),
                            0,
                            null,
                            null),
                    "clEnqueueWriteBuffer(layer " + i + ")");
        }
    }

    /** Writes {@code image} into slot 0, growing the buffer to its size when needed. */
    void upload(RgbaImage image) {
        byte[] pixels = image.pixels();
        ensure(1, pixels.length);
        Cl.check(
                CL.clEnqueueWriteBuffer(
                        runtime.queue(),
                        buffer,
                        true,
                        0,
                        pixels.length,
                        pointer(0, pixels),
                        0,
                        null,
                        null),
                "clEnqueueWriteBuffer(image)");
    }

    /** Releases the device buffer now. */
    void release() {
        runtime.release(buffer);
        buffer = null;
        capacityBytes = 0;
    }

    private Pointer pointer(int slot, byte[] array) {
        if (slot >= arrays.length) {
            int grown = Math.max(slot + 1, 2 * arrays.length);
            arrays = Arrays.copyOf(arrays, grown);
            pointers = Arrays.copyOf(pointers, grown);
        }
        if (arrays[slot] != array) {
            arrays[slot] = array;
            pointers[slot] = Pointer.to(array);
        }
        return pointers[slot];
    }
}
