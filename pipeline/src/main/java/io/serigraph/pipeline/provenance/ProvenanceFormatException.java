package io.serigraph.pipeline.provenance;

/**
 * {@code out/provenance.json} cannot be read: not JSON, or a field missing or of the wrong kind.
 */
public class ProvenanceFormatException extends Exception {
    public ProvenanceFormatException(String message) {
        super(message);
    }

    public ProvenanceFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
