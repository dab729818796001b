package io.serigraph.pipeline.qc;

/** The drop cannot be checked as it is (e.g. tokens not rendered yet); says what to do. */
public final class QcException extends Exception {
    public QcException(String message) {
        super(message);
    }

    public QcException(String message, Throwable cause) {
        super(message, cause);
    }
}
