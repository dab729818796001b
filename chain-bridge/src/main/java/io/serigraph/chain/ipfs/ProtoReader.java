package io.serigraph.chain.ipfs;

import java.util.Arrays;

/**
 * Reads protobuf keys and values from a byte range, strictly: every read checks the range and every
 * error names the byte offset. Errors are made by the caller's factory so that each format reports
 * its own exception type.
 */
final class ProtoReader {
    /** Makes the exception for a message and a byte offset. */
    interface Errors {
        IpfsFormatException error(String message, long offset);
    }

    private final byte[] bytes;
    private final int limit;
    private final String what;
    private final Errors errors;
    private int position;
    private int keyOffset;

    /**
     * Reads {@code bytes[offset..limit)}; offsets in messages are indexes into {@code bytes}.
     *
     * @param what the message being read, for error messages ("PBNode", "UnixFS Data")
     */
    ProtoReader(byte[] bytes, int offset, int limit, String what, Errors errors) {
        this.bytes = bytes;
        this.position = offset;
        this.limit = limit;
        this.what = what;
        this.errors = errors;
    }

    boolean hasMore() {
        return position < limit;
    }

    /** Offset of the next byte. */
    int position() {
        return position;
    }

    /** Offset of the last key read. */
    int keyOffset() {
        return keyOffset;
    }

    int limit() {
        return limit;
    }

    /** Reads a key; returns {@code field << 3 | wireType}. */
    int key() {
        keyOffset = position;
        long key = varint("field key");
        if (key >>> 3 == 0 || key >>> 3 > Integer.MAX_VALUE >>> 3) {
            throw fail("invalid field number " + (key >>> 3), keyOffset);
        }
        return (int) key;
    }

    long varint(String field) {
        try {
            long value = Varint.decode(bytes, position, limit);
            position += Varint.length(bytes, position);
            return value;
        } catch (VarintFormatException e) {
            throw errors.error(what + " " + field + ": " + e.getMessage(), position);
        }
    }

    /** Reads a length-delimited value; returns its start and advances past it. */
    int lengthDelimited(String field) {
        int lengthAt = position;
        long length = varint(field + " length");
        if (length > limit - position) {
            throw fail(
                    field
                            + " declares "
                            + length
                            + " bytes at byte offset "
                            + lengthAt
                            + " but only "
                            + (limit - position)
                            + " remain",
                    lengthAt);
        }
        int start = position;
        position += (int) length;
        return start;
    }

    byte[] copy(int start) {
        return Arrays.copyOfRange(bytes, start, position);
    }

    /** Skips a value of an unknown field. */
    void skip(int wireType) {
        switch (wireType) {
            case 0:
                varint("unknown varint field");
                break;
            case 1:
                advance(8);
                break;
            case 2:
                lengthDelimited("unknown field");
                break;
            case 5:
                advance(4);
                break;
            default:
                throw fail("unsupported wire type " + wireType, keyOffset());
        }
    }

    int fixed32() {
        int at = position;
        advance(4);
        return (bytes[at] & 0xFF)
                | (bytes[at + 1] & 0xFF) << 8
                | (bytes[at + 2] & 0xFF) << 16
                | (bytes[at + 3] & 0xFF) << 24;
    }

    private void advance(int n) {
        if (n > limit - position) {
            throw fail(
                    "truncated: " + n + " bytes needed, " + (limit - position) + " remain",
                    position);
        }
        position += n;
    }

    IpfsFormatException fail(String message, long offset) {
        return errors.error(what + ": " + message, offset);
    }
}
