package io.serigraph.inference;

/**
 * A request to a model failed at run time: the model raised an error, the request missed its
 * deadline, or the model was closed before the request ran. The message names the model.
 */
public class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
