package io.serigraph.chain.ipfs;

/**
 * A multibase string with an unknown prefix, a character outside its alphabet, or an impossible
 * length.
 */
public class MultibaseFormatException extends IpfsFormatException {
    private static final long serialVersionUID = 1L;

    public MultibaseFormatException(String message, long offset) {
        super(message, offset);
    }

    public MultibaseFormatException(String message, long offset, Throwable cause) {
        super(message, offset, cause);
    }
}
