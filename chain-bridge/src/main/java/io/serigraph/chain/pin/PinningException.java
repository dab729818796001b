package io.serigraph.chain.pin;

import java.io.IOException;

/**
 * A pinning call failed: the service answered with an error status, or could not be reached within
 * the retries. The message names the service, the call and what it said; {@link #status()} is the
 * HTTP status, or 0 when no answer came.
 */
public class PinningException extends IOException {
    private final int status;

    public PinningException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public PinningException(String message, int status) {
        this(message, status, null);
    }

    /** The HTTP status of the answer, or 0 when there was none (timeout, refused connection). */
    public int status() {
        return status;
    }
}
