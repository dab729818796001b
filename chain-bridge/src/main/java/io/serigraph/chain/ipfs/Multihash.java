package io.serigraph.chain.ipfs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A multihash: the code of a hash function, then its digest ({@code varint(code) varint(length)
 * digest}). Immutable.
 */
public final class Multihash {
    /** Multicodec code of the identity "hash" (the digest is the data itself). */
    public static final int IDENTITY = 0x00;

    /** Multicodec code of sha2-256. */
    public static final int SHA2_256 = 0x12;

    /** Multicodec code of murmur3-x64-64, the hash UnixFS HAMT shards record in their hashType. */
    public static final int MURMUR3_X64_64 = 0x22;

    /** Longest digest accepted when decoding (512 bits is the longest common hash). */
    public static final int MAX_DIGEST_LENGTH = 128;

    private final int code;
    private final byte[] digest;

    private Multihash(int code, byte[] digest) {
        this.code = code;
        this.digest = digest;
    }

    /**
     * A multihash from a hash function code and its digest (copied).
     *
     * @throws IllegalArgumentException if a sha2-256 digest is not 32 bytes
     */
    public static Multihash of(int code, byte[] digest) {
        if (code < 0) {
            throw new IllegalArgumentException("negative multihash code " + code);
        }
        if (code == SHA2_256 && digest.length != 32) {
            throw new IllegalArgumentException(
                    "a sha2-256 digest is 32 bytes, not " + digest.length);
        }
        return new Multihash(code, digest.clone());
    }

    /** The sha2-256 multihash of {@code bytes}. */
    public static Multihash sha256(byte[] bytes) {
        return sha256(bytes, 0, bytes.length, newSha256());
    }

    /** The sha2-256 multihash of a byte range, computed with (and resetting) {@code digest}. */
    public static Multihash sha256(byte[] bytes, int offset, int length, MessageDigest digest) {
        digest.reset();
        digest.update(bytes, offset, length);
        return new Multihash(SHA2_256, digest.digest());
    }

    /** A new SHA-256 {@link MessageDigest}; every JDK has one. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * Decodes the multihash that starts at {@code offset} and ends at or before {@code limit}; use
     * {@link #encodedLength()} to learn where it ended.
     *
     * @throws CidFormatException if it is truncated or inconsistent; offsets are byte offsets into
     *     {@code bytes}
     */
    public static Multihash decode(byte[] bytes, int offset, int limit) {
        long code;
        try {
            code = Varint.decode(bytes, offset, limit);
        } catch (VarintFormatException e) {
            throw new CidFormatException("bad multihash code: " + e.getMessage(), offset, e);
        }
        if (code > Integer.MAX_VALUE) {
            throw new CidFormatException(
                    "multihash code 0x"
                            + Long.toHexString(code)
                            + " at byte offset "
                            + offset
                            + " is too large",
                    offset);
        }
        int lengthAt = offset + Varint.length(bytes, offset);
        long length;
        try {
            length = Varint.decode(bytes, lengthAt, limit);
        } catch (VarintFormatException e) {
            throw new CidFormatException(
                    "bad multihash digest length: " + e.getMessage(), lengthAt, e);
        }
        int digestAt = lengthAt + Varint.length(bytes, lengthAt);
        if (length > MAX_DIGEST_LENGTH) {
            throw new CidFormatException(
                    "multihash digest length "
                            + length
                            + " at byte offset "
                            + lengthAt
                            + " is over the "
                            + MAX_DIGEST_LENGTH
                            + "-byte limit",
                    lengthAt);
        }
        if (code == SHA2_256 && length != 32) {
            throw new CidFormatException(
                    "sha2-256 multihash declares a "
                            + length
                            + "-byte digest at byte offset "
                            + lengthAt
                            + "; sha2-256 digests are 32 bytes",
                    lengthAt);
        }
        if (digestAt + length > limit) {
            throw new CidFormatException(
                    "truncated multihash: digest of "
                            + length
                            + " bytes starts at byte offset "
                            + digestAt
                            + " but only "
                            + (limit - digestAt)
                            + " byte(s) remain",
                    digestAt);
        }
        return new Multihash(
                (int) code, Arrays.copyOfRange(bytes, digestAt, digestAt + (int) length));
    }

    /** The hash function's multicodec code. */
    public int code() {
        return code;
    }

    /** A copy of the digest. */
    public byte[] digest() {
        return digest.clone();
    }

    /** The digest's length in bytes. */
    public int digestLength() {
        return digest.length;
    }

    /** Whether the digest equals {@code other} (constant-time not needed: digests are public). */
    boolean digestEquals(byte[] other) {
        return Arrays.equals(digest, other);
    }

    /** The length of {@link #bytes()}. */
    public int encodedLength() {
        return Varint.size(code) + Varint.size(digest.length) + digest.length;
    }

    /** The binary multihash: {@code varint(code) varint(length) digest}. */
    public byte[] bytes() {
        byte[] out = new byte[encodedLength()];
        writeTo(out, 0);
        return out;
    }

    /** Writes {@link #bytes()} at {@code offset}; returns the offset after it. */
    int writeTo(byte[] out, int offset) {
        offset = Varint.write(code, out, offset);
        offset = Varint.write(digest.length, out, offset);
        System.arraycopy(digest, 0, out, offset, digest.length);
        return offset + digest.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash
                && ((Multihash) o).code == code
                && Arrays.equals(((Multihash) o).digest, digest);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(digest);
    }

    /** {@code code:hexdigest}, for messages. */
    @Override
    public String toString() {
        return "0x"
                + Integer.toHexString(code)
                + ":"
                + Multibase.encodeRaw(Multibase.Base.BASE16, digest);
    }
}
