package io.serigraph.chain.ipfs;

/**
 * An unsigned varint (multiformats unsigned-varint) that is truncated, longer than 9 bytes, not
 * minimally encoded, or larger than the caller allows.
 */
public class VarintFormatException extends IpfsFormatException {
    private static final long serialVersionUID = 1L;

    public VarintFormatException(String message, long offset) {
        super(message, offset);
    }

    public VarintFormatException(String message, long offset, Throwable cause) {
        super(message, offset, cause);
    }
}
