package io.serigraph.engine.opencl;

/**
 * An OpenCL call failed: the message names the call and the OpenCL error (e.g. {@code
 * clCreateBuffer: CL_MEM_OBJECT_ALLOCATION_FAILURE}), or carries the compiler's build log when a
 * kernel does not build.
 */
public final class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;

    public OpenClException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The OpenCL error code ({@code CL_*}, negative), or 0 when the failure was not a call's. */
    public int errorCode() {
        return errorCode;
    }
}
