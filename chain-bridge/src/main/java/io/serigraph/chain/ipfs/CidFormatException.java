package io.serigraph.chain.ipfs;

/**
 * A CID string or CID bytes that cannot be decoded: unknown multibase, bad characters, an
 * unsupported version, a truncated or inconsistent multihash, or trailing bytes.
 */
public class CidFormatException extends IpfsFormatException {
    private static final long serialVersionUID = 1L;

    public CidFormatException(String message, long offset) {
        super(message, offset);
    }

    public CidFormatException(String message, long offset, Throwable cause) {
        super(message, offset, cause);
    }
}
