package io.serigraph.engine.composite;

import io.serigraph.engine.composite.CompositorProvider.Availability;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the compute backend for compositing, once per process: the {@link CompositorProvider}s
 * registered through {@link ServiceLoader}, ranked GPU (OpenCL) → Java → CPU (OpenCL) (see {@link
 * CompositorProvider#RANK_JAVA} for why Java comes before a CPU OpenCL device), with the {@link
 * DeviceSetting} as the override. The choice is logged once, naming the device and, for {@code
 * auto}, the backends passed over and why.
 *
 * <pre>{@code
 * ComputeDevices.Choice choice = ComputeDevices.choose(DeviceSetting.resolve(cliValue));
 * try (BatchCompositor compositor = choice.open(width, height)) { ... }
 * }</pre>
 */
public final class ComputeDevices {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeDevices.class);

    private static final Map<DeviceSetting, Choice> CHOSEN = new EnumMap<>(DeviceSetting.class);

    private ComputeDevices() {}

    /**
     * A chosen backend and the device it runs on.
     *
     * @param provider the backend
     * @param availability its probe: the device in words and its rank
     */
    public record Choice(CompositorProvider provider, Availability availability) {
        /** Opens a compositor for {@code width x height} canvases on the chosen device. */
        public BatchCompositor open(int width, int height) {
            return provider.open(width, height);
        }

        /** The backend's name: {@code opencl} or {@code java}. */
        public String backend() {
            return provider.name();
        }

        /** The device in words, as logged. */
        public String device() {
            return availability.device();
        }
    }

    /**
     * The backend for {@code setting}, chosen among the {@link #providers()} the first time this is
     * called for that setting and logged then; later calls return the same choice without probing
     * or logging again.
     *
     * @throws DeviceUnavailableException when {@code setting} forces a backend that is not
     *     available here (never a silent fallback), or no backend at all is available
     */
    public static synchronized Choice choose(DeviceSetting setting) {
        Choice chosen = CHOSEN.get(setting);
        if (chosen == null) {
            List<CompositorProvider> providers = providers();
            chosen = choose(setting, providers);
            LOG.info(
                    "compositing on {} ({}; device setting {}{})",
                    chosen.device(),
                    chosen.backend(),
                    setting.spelling(),
                    setting == DeviceSetting.AUTO ? skipped(chosen, providers) : "");
            CHOSEN.put(setting, chosen);
        }
        return chosen;
    }

    /** Every provider registered through {@link ServiceLoader}, in class-path order. */
    public static List<CompositorProvider> providers() {
        List<CompositorProvider> providers = new ArrayList<>();
        ServiceLoader.load(CompositorProvider.class, ComputeDevices.class.getClassLoader())
                .forEach(providers::add);
        return providers;
    }

    /**
     * The choice rule, on a given list of providers: {@code java} and {@code opencl} take the
     * provider of that name and fail when it is missing or unavailable; {@code auto} takes the
     * available provider of highest rank (the first listed on a tie).
     *
     * @throws DeviceUnavailableException as {@link #choose(DeviceSetting)}
     */
    static Choice choose(DeviceSetting setting, List<CompositorProvider> providers) {
        if (setting == DeviceSetting.AUTO) {
            Choice best = null;
            for (CompositorProvider p : providers) {
                Availability a = p.availability();
                if (a.available() && (best == null || a.rank() > best.availability().rank())) {
                    best = new Choice(p, a);
                }
            }
            if (best == null) {
                throw new DeviceUnavailableException(
                        "no compute backend is available: " + reasons(providers));
            }
            return best;
        }
        String name = setting.spelling();
        for (CompositorProvider p : providers) {
            if (p.name().equals(name)) {
                Availability a = p.availability();
                if (!a.available()) {
                    throw new DeviceUnavailableException(
                            "compute device '" + name + "' was asked for but " + a.reason());
                }
                return new Choice(p, a);
            }
        }
        throw new DeviceUnavailableException(
                "compute device '"
                        + name
                        + "' was asked for but no such backend is on the class path (found: "
                        + names(providers)
                        + ")");
    }

    /**
     * The backends passed over and why (unavailable, or ranked below the choice), for the log line
     * of an {@code auto} choice (a forced choice probes no other backend: probing OpenCL loads its
     * driver).
     */
    static String skipped(Choice chosen, List<CompositorProvider> providers) {
        StringJoiner j = new StringJoiner("; ", "; skipped: ", "").setEmptyValue("");
        for (CompositorProvider p : providers) {
            Availability a = p.availability();
            if (p == chosen.provider()) {
                continue;
            }
            if (!a.available()) {
                j.add(p.name() + ": " + a.reason());
            } else {
                j.add(
                        p.name()
                                + ": "
                                + a.device()
                                + " ranks below "
                                + chosen.device()
                                + " (device setting "
                                + p.name()
                                + " forces it)");
            }
        }
        return j.toString();
    }

    private static String reasons(List<CompositorProvider> providers) {
        StringJoiner j = new StringJoiner("; ").setEmptyValue("no backend is registered");
        for (CompositorProvider p : providers) {
            j.add(p.name() + ": " + p.availability().reason());
        }
        return j.toString();
    }

    private static String names(List<CompositorProvider> providers) {
        StringJoiner j = new StringJoiner(", ").setEmptyValue("none");
        for (CompositorProvider p : providers) {
            j.add(p.name());
        }
        return j.toString();
    }
}
