package io.serigraph.engine.opencl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds the OpenCL devices that can run Serigraph's kernels, best first (GPUs and accelerators,
 * then CPUs). Never throws for a missing OpenCL library or platform: {@link Discovery#problem()}
 * says what is missing and what to install.
 */
public final class OpenClDevices {
    /** What to install where OpenCL is missing (Debian). */
    public static final String INSTALL_HINT = "apt-get install pocl-opencl-icd ocl-icd-libopencl1";

    private static volatile Discovery cached;

    private OpenClDevices() {}

    /**
     * The outcome of a discovery.
     *
     * @param devices usable devices, best first (empty when OpenCL is unavailable)
     * @param problem why there are none, naming what to install; empty when there are some
     */
    public record Discovery(List<OpenClDevice> devices, String problem) {
        public Discovery {
            devices = List.copyOf(devices);
        }

        /** True when at least one device is usable. */
        public boolean available() {
            return !devices.isEmpty();
        }

        /** The best device. @throws IllegalStateException when there is none */
        public OpenClDevice best() {
            if (devices.isEmpty()) {
                throw new IllegalStateException("no OpenCL device: " + problem);
            }
            return devices.get(0);
        }
    }

    /** {@link #discover()}, done once per process and remembered. */
    public static Discovery cached() {
        Discovery d = cached;
        if (d == null) {
            synchronized (OpenClDevices.class) {
                d = cached;
                if (d == null) {
                    d = discover();
                    cached = d;
                }
            }
        }
        return d;
    }

    /**
     * Queries every OpenCL platform for devices that are available, have a compiler and support
     * 64-bit integers in kernels (the full profile, or {@code cles_khr_int64}), and ranks them.
     * Touches no driver unless {@link SignalChaining#active()}.
     */
    public static Discovery discover() {
        if (!SignalChaining.active()) {
            return new Discovery(
                    List.of(),
                    "OpenCL is not probed in a JVM without signal chaining: its drivers (PoCL's"
                            + " LLVM) replace the JVM's signal handlers and crash it; "
                            + SignalChaining.REMEDY);
        }
        try {
            int[] count = new int[1];
            int code = CL.clGetPlatformIDs(0, null, count);
            if (code == CL.CL_PLATFORM_NOT_FOUND_KHR || (code == CL.CL_SUCCESS && count[0] == 0)) {
                return new Discovery(
                        List.of(),
                        "the OpenCL loader found no platform (no driver is installed): install"
                                + " one, e.g. "
                                + INSTALL_HINT);
            }
            Cl.check(code, "clGetPlatformIDs");
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            Cl.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
            List<OpenClDevice> devices = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (cl_platform_id platform : platforms) {
                collect(platform, devices, skipped);
            }
            if (devices.isEmpty()) {
                return new Discovery(
                        List.of(),
                        "OpenCL found no usable device"
                                + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")")
                                + ": install a driver, e.g. "
                                + INSTALL_HINT);
            }
            return new Discovery(ranked(devices), "");
        } catch (LinkageError e) {
            return new Discovery(
                    List.of(),
                    "the OpenCL library (libOpenCL.so.1) cannot be loaded ("
                            + e
                            + "): install it and a driver, e.g. "
                            + INSTALL_HINT);
        } catch (OpenClException e) {
            return new Discovery(
                    List.of(), "OpenCL failed while listing devices (" + e.getMessage() + ")");
        }
    }

    /** {@code devices} sorted best first; devices of equal rank keep their order. */
    static List<OpenClDevice> ranked(List<OpenClDevice> devices) {
        List<OpenClDevice> sorted = new ArrayList<>(devices);
        sorted.sort(Comparator.comparingInt(OpenClDevice::rank).reversed());
        return sorted;
    }

    private static void collect(
            cl_platform_id platform, List<OpenClDevice> devices, List<String> skipped) {
        String platformName = Cl.platformString(platform, CL.CL_PLATFORM_NAME);
        int[] count = new int[1];
        int code = CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
        if (code == CL.CL_DEVICE_NOT_FOUND || (code == CL.CL_SUCCESS && count[0] == 0)) {
            skipped.add("platform \"" + platformName + "\" has no device");
            return;
        }
        Cl.check(code, "clGetDeviceIDs");
        cl_device_id[] ids = new cl_device_id[count[0]];
        Cl.check(
                CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null),
                "clGetDeviceIDs");
        for (cl_device_id id : ids) {
            String name = Cl.deviceString(id, CL.CL_DEVICE_NAME);
            String why = unusable(id);
            if (why != null) {
                skipped.add("\"" + name + "\" " + why);
                continue;
            }
            devices.add(
                    new OpenClDevice(
                            platform,
                            id,
                            platformName,
                            name,
                            Cl.deviceLong(id, CL.CL_DEVICE_TYPE),
                            Cl.deviceLong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE)));
        }
    }

    /** Why the device cannot run the kernels, or {@code null} when it can. */
    private static String unusable(cl_device_id id) {
        if (Cl.deviceInt(id, CL.CL_DEVICE_AVAILABLE) == 0) {
            return "is not available";
        }
        if (Cl.deviceInt(id, CL.CL_DEVICE_COMPILER_AVAILABLE) == 0) {
            return "has no OpenCL C compiler";
        }
        if (Cl.deviceInt(id, CL.CL_DEVICE_ENDIAN_LITTLE) == 0) {
            return "is big-endian";
        }
        boolean fullProfile = "FULL_PROFILE".equals(Cl.deviceString(id, CL.CL_DEVICE_PROFILE));
        if (!fullProfile
                && !Cl.deviceString(id, CL.CL_DEVICE_EXTENSIONS).contains("cles_khr_int64")) {
            return "lacks 64-bit integers (embedded profile without cles_khr_int64)";
        }
        return null;
    }
}
