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
                "inference: {} engine {} on {} ({}), offline={}",
                ENGINE,
                engine.getVersion(),
                device,
                reason,
                System.getProperty("ai.djl.offline"));
        return new TorchRuntime(engine, device, reason);
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
