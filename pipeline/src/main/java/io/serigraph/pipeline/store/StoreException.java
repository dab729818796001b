package io.serigraph.pipeline.store;

/** The drop's state store cannot be opened, read or written; the message names the file. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
