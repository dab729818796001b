package io.serigraph.engine.composite;

import java.util.Locale;
import java.util.Map;

/**
 * Which compute backend to composite with: {@code auto} (the best available: an OpenCL GPU, then
 * Java, then a CPU OpenCL device), {@code opencl} (OpenCL, on whatever device, or an error) or
 * {@code java}. Set by the CLI's {@code --device} or the {@code SERIGRAPH_DEVICE} environment
 * variable; see {@link #resolve(String)}.
 */
public enum DeviceSetting {
    AUTO,
    OPENCL,
    JAVA;

    /** The environment variable read when no explicit setting is given. */
    public static final String ENV = "SERIGRAPH_DEVICE";

    /** The spelling of the setting: {@code auto}, {@code opencl}, {@code java}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code auto}, {@code opencl} or {@code java} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException for anything else, listing the accepted values
     */
    public static DeviceSetting parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (DeviceSetting s : values()) {
            if (s.spelling().equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown compute device '" + value + "': use auto, opencl or java");
    }

    /**
     * The setting in force: {@code explicit} when given (the CLI's {@code --device}), else the
     * {@code SERIGRAPH_DEVICE} environment variable when set and not blank, else {@link #AUTO}.
     *
     * @param explicit the value given on the command line or in code, or {@code null}
     * @throws IllegalArgumentException when the value in force is not a device setting; the message
     *     names where it came from
     */
    public static DeviceSetting resolve(String explicit) {
        return resolve(explicit, System.getenv());
    }

    /** {@link #resolve(String)} with the environment given, for tests. */
    static DeviceSetting resolve(String explicit, Map<String, String> env) {
        if (explicit != null) {
            return parseFrom(explicit, "--device");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parseFrom(fromEnv, ENV);
        }
        return AUTO;
    }

    private static DeviceSetting parseFrom(String value, String source) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }
}
