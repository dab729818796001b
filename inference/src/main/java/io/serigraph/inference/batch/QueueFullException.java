package io.serigraph.inference.batch;

import io.serigraph.inference.InferenceException;

/**
 * A batcher's queue already held {@link BatchPolicy#queueCapacity()} requests, so the request was
 * refused without running; retry later or elsewhere.
 */
public class QueueFullException extends InferenceException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }
}
