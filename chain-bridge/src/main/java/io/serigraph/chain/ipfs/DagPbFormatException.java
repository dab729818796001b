package io.serigraph.chain.ipfs;

/**
 * Bytes that are not a canonical dag-pb node (PBNode/PBLink protobuf in the order the dag-pb spec
 * requires).
 */
public class DagPbFormatException extends IpfsFormatException {
    private static final long serialVersionUID = 1L;

    public DagPbFormatException(String message, long offset) {
        super(message, offset);
    }

    public DagPbFormatException(String message, long offset, Throwable cause) {
        super(message, offset, cause);
    }
}
