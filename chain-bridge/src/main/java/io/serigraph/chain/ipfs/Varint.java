package io.serigraph.chain.ipfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Unsigned varints as multiformats uses them (LEB128, 7 bits a byte, least significant group
 * first), with the multiformats rules enforced on decode: at most 9 bytes (63 bits), minimally
 * encoded (no trailing zero group), not truncated.
 */
public final class Varint {
    /** The longest varint multiformats allows: 9 bytes carry 63 bits. */
    public static final int MAX_LENGTH = 9;

    private Varint() {}

    /** How many bytes {@code value} takes. */
    public static int size(long value) {
        requireUnsigned(value);
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** The varint encoding of {@code value} (0 to 2^63 - 1). */
    public static byte[] encode(long value) {
        byte[] out = new byte[size(value)];
        write(value, out, 0);
        return out;
    }

    /** Writes {@code value} at {@code offset}; returns the offset just after it. */
    public static int write(long value, byte[] out, int offset) {
        requireUnsigned(value);
        while ((value & ~0x7FL) != 0) {
            out[offset++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[offset++] = (byte) value;
        return offset;
    }

    /** Writes {@code value} to {@code out}. */
    public static void write(long value, OutputStream out) throws IOException {
        requireUnsigned(value);
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /**
     * Decodes the varint that starts at {@code offset} and must end before {@code limit}.
     *
     * @throws VarintFormatException if it is truncated, too long or not minimal
     */
    public static long decode(byte[] bytes, int offset, int limit) {
        long value = 0;
        for (int i = 0; i < MAX_LENGTH; i++) {
            int at = offset + i;
            if (at >= limit) {
                throw new VarintFormatException(
                        "truncated varint at byte offset "
                                + offset
                                + ": input ends after "
                                + i
                                + " byte(s) with the continuation bit set",
                        offset);
            }
            int b = bytes[at] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new VarintFormatException(
                            "varint at byte offset "
                                    + offset
                                    + " is not minimally encoded (its last byte, at offset "
                                    + at
                                    + ", is 0x00)",
                            offset);
                }
                return value;
            }
        }
        throw new VarintFormatException(
                "varint at byte offset "
                        + offset
                        + " is longer than "
                        + MAX_LENGTH
                        + " bytes (values must fit in 63 bits)",
                offset);
    }

    /** The number of bytes of the (valid) varint at {@code offset}; call after {@link #decode}. */
    public static int length(byte[] bytes, int offset) {
        int n = 1;
        while ((bytes[offset + n - 1] & 0x80) != 0) {
            n++;
        }
        return n;
    }

    /**
     * Reads one varint from a stream.
     *
     * @param streamOffset the stream position of its first byte, for error messages
     * @return the value, or -1 if the stream ends before its first byte
     * @throws VarintFormatException if the stream ends inside it, or it is too long or not minimal
     */
    public static long read(InputStream in, long streamOffset) throws IOException {
        long value = 0;
        for (int i = 0; i < MAX_LENGTH; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return -1;
                }
                throw new VarintFormatException(
                        "truncated varint at byte offset "
                                + streamOffset
                                + ": input ends after "
                                + i
                                + " byte(s) with the continuation bit set",
                        streamOffset);
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new VarintFormatException(
                            "varint at byte offset "
                                    + streamOffset
                                    + " is not minimally encoded (its last byte, at offset "
                                    + (streamOffset + i)
                                    + ", is 0x00)",
                            streamOffset);
                }
                return value;
            }
        }
        throw new VarintFormatException(
                "varint at byte offset "
                        + streamOffset
                        + " is longer than "
                        + MAX_LENGTH
                        + " bytes (values must fit in 63 bits)",
                streamOffset);
    }

    private static void requireUnsigned(long value) {
        if (value < 0) {
            throw new IllegalArgumentException(
                    "varints carry 0 to 2^63 - 1, not " + Long.toUnsignedString(value));
        }
    }
}
