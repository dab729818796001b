package io.serigraph.chain.ipfs;

import java.io.IOException;

/**
 * A CAR file that cannot be read: no or a bad header, a truncated or malformed section, a bad CID,
 * or a block whose bytes do not hash to its CID. The message names the problem, the byte offset in
 * the file and, for a block, its index and CID; {@link #offset()} gives the offset.
 */
public class CarFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public CarFormatException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    public CarFormatException(String message, long offset, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    /** The byte offset in the CAR stream where the problem is. */
    public long offset() {
        return offset;
    }
}
