package io.serigraph.chain.ipfs;

/** A UnixFS Data protobuf message that cannot be decoded or has an unknown node type. */
public class UnixFsFormatException extends IpfsFormatException {
    private static final long serialVersionUID = 1L;

    public UnixFsFormatException(String message, long offset) {
        super(message, offset);
    }

    public UnixFsFormatException(String message, long offset, Throwable cause) {
        super(message, offset, cause);
    }
}
