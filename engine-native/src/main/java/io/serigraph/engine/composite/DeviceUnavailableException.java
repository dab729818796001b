package io.serigraph.engine.composite;

/**
 * A compute device was asked for and cannot be used: {@code --device opencl} (or {@code
 * SERIGRAPH_DEVICE=opencl}) on a machine without an OpenCL runtime or platform, or a backend that
 * failed to open. The message says what is missing and what to install.
 */
public final class DeviceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message) {
        super(message);
    }

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
