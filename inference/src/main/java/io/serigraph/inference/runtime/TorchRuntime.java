package io.serigraph.inference.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch engine and the device models run on, chosen once per process and logged once.
 *
 * <p>libtorch comes from Maven Central ({@code pytorch-native-cpu}) or, on a GPU node, from the
 * node's own libtorch 2.7.1+cu128 ({@code PYTORCH_LIBRARY_PATH}, {@code PYTORCH_FLAVOR=cu128}); DJL
 * is put in offline mode ({@code ai.djl.offline=true}) before the engine starts, so nothing is ever
 * downloaded. The device is CUDA GPU 0 when the engine sees a GPU, the CPU otherwise; the system
 * property {@value #DEVICE_PROPERTY} or the environment variable {@value #DEVICE_ENV} overrides it
 * with {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}.
 */
public final class TorchRuntime {
    public static final String DEVICE_PROPERTY = "serigraph.inference.device";
    public static final String DEVICE_ENV = "SERIGRAPH_INFERENCE_DEVICE";
    public static final String ENGINE = "PyTorch";

    /** DJL's setting of libtorch's intra-op threads. */
    public static final String NUM_THREADS = "ai.djl.pytorch.num_threads";

    /** DJL's setting of libtorch's inter-op threads. */
    public static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private static final Logger LOG = LoggerFactory.getLogger(TorchRuntime.class);
    private static volatile TorchRuntime instance;

    private final Engine engine;
    private final Device device;
    private final String reason;

    private TorchRuntime(Engine engine, Device device, String reason) {
        this.engine = engine;
        this.device = device;
        this.reason = reason;
    }

    /** The process-wide runtime; the first call starts libtorch and logs the device. */
    public static TorchRuntime get() {
        TorchRuntime r = instance;
        if (r == null) {
            synchronized (TorchRuntime.class) {
                r = instance;
                if (r == null) {
                    r = start();
                    instance = r;
                }
            }
        }
        return r;
    }

    private static TorchRuntime start() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // The profiling graph executor re-specializes a TorchScript graph for every new input
        // shape; batch sizes vary from call to call, so it costs time and buys nothing here.
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
        // libtorch's default (a thread per core for every op, plus as many inter-op threads)
        // starves
        // a small or shared machine: half the cores for each op, one inter-op thread, unless set.
        if (System.getProperty(NUM_THREADS) == null) {
            System.setProperty(NUM_THREADS, Integer.toString(defaultThreads()));
        }
        if (System.getProperty(NUM_INTEROP_THREADS) == null) {
            System.setProperty(NUM_INTEROP_THREADS, "1");
        }
        Engine engine = Engine.getEngine(ENGINE);
        String setting = System.getProperty(DEVICE_PROPERTY);
        String source = "system property " + DEVICE_PROPERTY;
        if (setting == null || setting.isBlank()) {
            setting = System.getenv(DEVICE_ENV);
            source = "environment variable " + DEVICE_ENV;
        }
        int gpus = engine.getGpuCount();
        Device device;
        String reason;
        if (setting == null || setting.isBlank() || setting.trim().equalsIgnoreCase("auto")) {
            device = gpus > 0 ? Device.gpu() : Device.cpu();
            reason =
                    gpus > 0
                            ? "automatic: " + gpus + " CUDA device(s)"
                            : "automatic: no CUDA device";
        } else {
            device = parse(setting.trim(), source, gpus);
            reason = "set by " + source;
        }
        LOG.info(
                "inference: {} engine {} on {} ({}), offline={}, threads {} per op, {} inter-op",
                ENGINE,
                engine.getVersion(),
                device,
                reason,
                System.getProperty("ai.djl.offline"),
                System.getProperty(NUM_THREADS),
                System.getProperty(NUM_INTEROP_THREADS));
        return new TorchRuntime(engine, device, reason);
    }

    /** Intra-op threads when none are set: half the cores, at least 1 (1 on a 2-core box). */
    static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    static Device parse(String setting, String source, int gpus) {
        String s = setting.toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.equals("cuda") || s.startsWith("gpu:") || s.startsWith("cuda:")) {
            int id = 0;
            int colon = s.indexOf(':');
            if (colon >= 0) {
                try {
                    id = Integer.parseInt(s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            source + " = '" + setting + "': the GPU index is not a number");
                }
            }
            if (id < 0 || id >= gpus) {
                throw new IllegalArgumentException(
                        source
                                + " = '"
                                + setting
                                + "' but the PyTorch engine sees "
                                + gpus
                                + " CUDA device(s); on a GPU node set PYTORCH_LIBRARY_PATH and"
                                + " PYTORCH_FLAVOR=cu128 (see inference/README.md)");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException(
                source + " = '" + setting + "': expected auto, cpu, gpu or gpu:N");
    }

    public Engine engine() {
        return engine;
    }

    /** The device models load onto unless a store is given another. */
    public Device device() {
        return device;
    }

    /** Why {@link #device()} was chosen: automatic detection or the override that set it. */
    public String reason() {
        return reason;
    }
}
