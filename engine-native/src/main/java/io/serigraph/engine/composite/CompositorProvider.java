package io.serigraph.engine.composite;

/**
 * A compute backend for compositing, registered through {@link java.util.ServiceLoader} in {@code
 * META-INF/services/io.serigraph.engine.composite.CompositorProvider}. {@link ComputeDevices} asks
 * every provider for its {@link Availability} and opens the best one: a GPU through OpenCL, then
 * Java, then a CPU through OpenCL.
 *
 * <p>Implementations are cheap to construct (no native code is touched before {@link
 * #availability()}) and thread-safe.
 */
public interface CompositorProvider {
    /** Rank of an OpenCL GPU (or other accelerator). */
    int RANK_GPU = 300;

    /**
     * Rank of the Java path, which is always available. Above a CPU OpenCL device: on a CPU the
     * Java compositor's run-wise shortcuts (whole runs copied or repeated, {@code
     * docs/pixel-math.md}) do a fraction of a per-pixel kernel's work, and the cores it leaves free
     * are the encoder's (measured in {@code benchmarks/README.md}: PoCL 2.2-2.6x slower end to
     * end).
     */
    int RANK_JAVA = 200;

    /** Rank of an OpenCL CPU device such as PoCL: chosen only when forced ({@code opencl}). */
    int RANK_CPU_OPENCL = 100;

    /** The backend's name as the device setting spells it: {@code opencl} or {@code java}. */
    String name();

    /**
     * Probes the backend on this machine: never throws for a missing runtime, library or device,
     * but reports it as unavailable with the reason. May be slow the first time (an OpenCL platform
     * query); implementations cache the answer.
     */
    Availability availability();

    /**
     * Opens a compositor for canvases of {@code width x height} pixels on the device {@link
     * #availability()} names.
     *
     * @throws DeviceUnavailableException when the backend is unavailable or the device refuses,
     *     with the reason
     */
    BatchCompositor open(int width, int height);

    /**
     * Whether a backend can run here, on which device, and how good it is.
     *
     * @param available true when {@link #open} will work
     * @param rank higher is preferred: {@link #RANK_GPU}, {@link #RANK_CPU_OPENCL}, {@link
     *     #RANK_JAVA}; 0 when unavailable
     * @param device the device in words, for the start-up log line (e.g. {@code OpenCL GPU "NVIDIA
     *     H100" on "NVIDIA CUDA"}); empty when unavailable
     * @param reason why the backend is unavailable, naming what to install; empty when available
     */
    record Availability(boolean available, int rank, String device, String reason) {
        public static Availability of(int rank, String device) {
            return new Availability(true, rank, device, "");
        }

        public static Availability unavailable(String reason) {
            return new Availability(false, 0, "", reason);
        }
    }
}
