package io.serigraph.chain.ipfs;

/**
 * Bytes or text that do not form a valid IPFS structure (varint, multibase string, CID, dag-pb
 * node, UnixFS message). The message says what is wrong and where; {@link #offset()} gives the
 * position (a byte offset into the bytes being decoded, or a character offset into a string), or -1
 * when the problem is not at one place.
 */
public class IpfsFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public IpfsFormatException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    public IpfsFormatException(String message, long offset, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    /** Where the problem is: a byte or character offset, or -1 when it is not at one place. */
    public long offset() {
        return offset;
    }
}
