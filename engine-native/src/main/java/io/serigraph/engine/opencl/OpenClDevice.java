package io.serigraph.engine.opencl;

import io.serigraph.engine.composite.CompositorProvider;
import java.util.Objects;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device that can run Serigraph's kernels, as {@link OpenClDevices#discover()} found it.
 *
 * @param platform the platform (driver) it belongs to
 * @param device the device
 * @param platformName e.g. {@code Portable Computing Language}, {@code NVIDIA CUDA}
 * @param name e.g. {@code pthread-haswell-AMD EPYC ...}, {@code NVIDIA H100 80GB HBM3}
 * @param type the {@code CL_DEVICE_TYPE_*} bits
 * @param maxAllocBytes the largest single buffer the device allows ({@code
 *     CL_DEVICE_MAX_MEM_ALLOC_SIZE})
 */
public record OpenClDevice(
        cl_platform_id platform,
        cl_device_id device,
        String platformName,
        String name,
        long type,
        long maxAllocBytes) {
    public OpenClDevice {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(platformName, "platformName");
        Objects.requireNonNull(name, "name");
    }

    /**
     * How good the device is for compositing: {@link CompositorProvider#RANK_GPU} for a GPU or
     * accelerator, {@link CompositorProvider#RANK_CPU_OPENCL} for a CPU or anything else.
     */
    public int rank() {
        return rankOf(type);
    }

    /** The rank of a device with the {@code CL_DEVICE_TYPE_*} bits {@code type}. */
    static int rankOf(long type) {
        if ((type & (CL.CL_DEVICE_TYPE_GPU | CL.CL_DEVICE_TYPE_ACCELERATOR)) != 0) {
            return CompositorProvider.RANK_GPU;
        }
        return CompositorProvider.RANK_CPU_OPENCL;
    }

    /** {@code GPU}, {@code accelerator}, {@code CPU} or {@code device}. */
    public String kind() {
        if ((type & CL.CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        }
        if ((type & CL.CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        return "device";
    }

    /**
     * The device in words, as logged: {@code OpenCL CPU "pthread-haswell-..." on "Portable ..."}.
     */
    public String describe() {
        return "OpenCL " + kind() + " \"" + name + "\" on \"" + platformName + "\"";
    }

    @Override
    public String toString() {
        return describe();
    }
}
