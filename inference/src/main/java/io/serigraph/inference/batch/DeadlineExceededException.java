package io.serigraph.inference.batch;

import io.serigraph.inference.InferenceException;

/** A request's deadline passed before its batch ran; the request was not run. */
public class DeadlineExceededException extends InferenceException {
    private static final long serialVersionUID = 1L;

    public DeadlineExceededException(String message) {
        super(message);
    }
}
