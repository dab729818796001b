package io.serigraph.chain.ipfs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * A content identifier, version 0 or 1. Immutable; equal when version, codec and multihash are
 * equal.
 *
 * <p>CIDv1 bytes are {@code varint(1) varint(codec) multihash} and its string form is multibase
 * base32 lower case ({@code b...}), as ipfs-car prints it. CIDv0 is a bare sha2-256 multihash with
 * the dag-pb codec implied, written in base58btc without a multibase prefix ({@code Qm...}).
 */
public final class Cid {
    /** Multicodec code of raw bytes (ipfs-car's file chunks and single-chunk files). */
    public static final int RAW = 0x55;

    /** Multicodec code of dag-pb (UnixFS file, directory and HAMT shard nodes). */
    public static final int DAG_PB = 0x70;

    /** Multicodec code of dag-cbor (CAR headers). */
    public static final int DAG_CBOR = 0x71;

    private final int version;
    private final long codec;
    private final Multihash multihash;
    private final byte[] bytes;

    private Cid(int version, long codec, Multihash multihash) {
        this.version = version;
        this.codec = codec;
        this.multihash = multihash;
        if (version == 0) {
            this.bytes = multihash.bytes();
        } else {
            byte[] out = new byte[1 + Varint.size(codec) + multihash.encodedLength()];
            int at = Varint.write(1, out, 0);
            at = Varint.write(codec, out, at);
            multihash.writeTo(out, at);
            this.bytes = out;
        }
    }

    /** A CIDv1. */
    public static Cid v1(long codec, Multihash multihash) {
        if (codec < 0) {
            throw new IllegalArgumentException("negative codec " + codec);
        }
        return new Cid(1, codec, multihash);
    }

    /** A CIDv0: dag-pb with a sha2-256 multihash. */
    public static Cid v0(Multihash multihash) {
        if (multihash.code() != Multihash.SHA2_256) {
            throw new IllegalArgumentException(
                    "CIDv0 needs a sha2-256 multihash, not code 0x"
                            + Integer.toHexString(multihash.code()));
        }
        return new Cid(0, DAG_PB, multihash);
    }

    /** The CIDv1 (sha2-256) of {@code bytes} as a block of {@code codec}. */
    public static Cid sha256(long codec, byte[] bytes) {
        return v1(codec, Multihash.sha256(bytes));
    }

    /**
     * Parses a CID string: a CIDv0 ({@code Qm...}, 46 base58btc characters) or a multibase CIDv1
     * (base32 {@code b}/{@code B}, base58btc {@code z}, base16 {@code f}).
     *
     * @throws CidFormatException naming what is wrong and its character (or decoded byte) offset
     */
    public static Cid parse(String text) {
        if (text.isEmpty()) {
            throw new CidFormatException("empty CID string", 0);
        }
        if (text.length() == 46 && text.startsWith("Qm")) {
            byte[] bytes;
            try {
                bytes = Multibase.decodeRaw(Multibase.Base.BASE58BTC, text, 0);
            } catch (MultibaseFormatException e) {
                throw new CidFormatException(
                        "bad CIDv0 " + quote(text) + ": " + e.getMessage(), e.offset(), e);
            }
            return decodeV0(bytes, text);
        }
        Multibase.Base base = Multibase.Base.forPrefix(text.charAt(0));
        if (base == null) {
            throw new CidFormatException(
                    "bad CID "
                            + quote(text)
                            + ": unknown multibase prefix "
                            + Multibase.describe(text.charAt(0))
                            + " at character offset 0 (expected 'b' for base32, as ipfs-car writes,"
                            + " 'B', 'z' or 'f'; or a 46-character CIDv0 starting with \"Qm\")",
                    0);
        }
        byte[] bytes;
        try {
            bytes = Multibase.decodeRaw(base, text, 1);
        } catch (MultibaseFormatException e) {
            throw new CidFormatException(
                    "bad CID " + quote(text) + ": " + e.getMessage(), e.offset(), e);
        }
        if (bytes.length > 0 && bytes[0] == Multihash.SHA2_256) {
            throw new CidFormatException(
                    "bad CID "
                            + quote(text)
                            + ": decoded bytes start with 0x12, a CIDv0 multihash, which must be"
                            + " written in base58btc without a multibase prefix",
                    1);
        }
        try {
            return decodeV1(bytes, 0, bytes.length, true);
        } catch (CidFormatException e) {
            throw new CidFormatException(
                    "bad CID "
                            + quote(text)
                            + " ("
                            + base.name().toLowerCase(Locale.ROOT)
                            + "): "
                            + e.getMessage()
                            + " (byte offsets count from the first decoded byte)",
                    e.offset(),
                    e);
        }
    }

    /**
     * Decodes binary CID bytes, v0 (a 34-byte sha2-256 multihash) or v1; every byte must belong to
     * it.
     *
     * @throws CidFormatException naming what is wrong and its byte offset
     */
    public static Cid decode(byte[] bytes) {
        if (isV0Prefix(bytes, 0, bytes.length)) {
            return decodeV0(bytes, null);
        }
        return decodeV1(bytes, 0, bytes.length, true);
    }

    /**
     * Decodes the CID that starts at {@code offset}, ending at or before {@code limit}; bytes may
     * follow it (as block data does in a CAR section). {@link #byteLength()} says where it ended.
     *
     * @throws CidFormatException naming what is wrong and its byte offset in {@code bytes}
     */
    public static Cid decodePrefix(byte[] bytes, int offset, int limit) {
        if (isV0Prefix(bytes, offset, limit)) {
            if (limit - offset < 34) {
                throw new CidFormatException(
                        "truncated CIDv0 at byte offset "
                                + offset
                                + ": 34 bytes needed, "
                                + (limit - offset)
                                + " remain",
                        offset);
            }
            return new Cid(0, DAG_PB, Multihash.decode(bytes, offset, offset + 34));
        }
        return decodeV1(bytes, offset, limit, false);
    }

    private static boolean isV0Prefix(byte[] bytes, int offset, int limit) {
        return limit - offset >= 2
                && bytes[offset] == Multihash.SHA2_256
                && bytes[offset + 1] == 32;
    }

    private static Cid decodeV0(byte[] bytes, String text) {
        if (bytes.length != 34 || bytes[0] != Multihash.SHA2_256 || bytes[1] != 32) {
            String what = text == null ? "CIDv0 bytes" : "CIDv0 " + quote(text);
            throw new CidFormatException(
                    "bad "
                            + what
                            + ": expected 34 bytes 0x12 0x20 + 32-byte sha2-256 digest, got "
                            + bytes.length
                            + " byte(s)",
                    0);
        }
        return new Cid(0, DAG_PB, Multihash.decode(bytes, 0, bytes.length));
    }

    private static Cid decodeV1(byte[] bytes, int offset, int limit, boolean whole) {
        if (offset >= limit) {
            throw new CidFormatException("empty CID: no version at byte offset " + offset, offset);
        }
        long version;
        try {
            version = Varint.decode(bytes, offset, limit);
        } catch (VarintFormatException e) {
            throw new CidFormatException("bad CID version: " + e.getMessage(), offset, e);
        }
        if (version != 1) {
            throw new CidFormatException(
                    "unsupported CID version "
                            + version
                            + " at byte offset "
                            + offset
                            + (version == 0
                                    ? " (CIDv0 has no version byte)"
                                    : " (only 1 is defined)"),
                    offset);
        }
        int codecAt = offset + Varint.length(bytes, offset);
        long codec;
        try {
            codec = Varint.decode(bytes, codecAt, limit);
        } catch (VarintFormatException e) {
            throw new CidFormatException("bad CID codec: " + e.getMessage(), codecAt, e);
        }
        int hashAt = codecAt + Varint.length(bytes, codecAt);
        if (hashAt >= limit) {
            throw new CidFormatException(
                    "truncated CID: multihash missing at byte offset " + hashAt, hashAt);
        }
        Multihash multihash = Multihash.decode(bytes, hashAt, limit);
        int end = hashAt + multihash.encodedLength();
        if (whole && end != limit) {
            throw new CidFormatException(
                    (limit - end) + " unexpected byte(s) after the multihash at byte offset " + end,
                    end);
        }
        return new Cid(1, codec, multihash);
    }

    /** 0 or 1. */
    public int version() {
        return version;
    }

    /** The multicodec code of the block's format ({@link #RAW}, {@link #DAG_PB}, ...). */
    public long codec() {
        return codec;
    }

    /** The multihash of the block's bytes. */
    public Multihash multihash() {
        return multihash;
    }

    /** A copy of the binary CID. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The length of {@link #bytes()}. */
    public int byteLength() {
        return bytes.length;
    }

    /** Writes the binary CID at {@code offset}; returns the offset after it. */
    public int writeTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, bytes.length);
        return offset + bytes.length;
    }

    /** Writes the binary CID to a stream. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    /** This CID as version 1 (itself if it already is). */
    public Cid toV1() {
        return version == 1 ? this : new Cid(1, codec, multihash);
    }

    /** The string form in {@code base}; CIDv0 has only its base58btc form. */
    public String toString(Multibase.Base base) {
        if (version == 0) {
            if (base != Multibase.Base.BASE58BTC) {
                throw new IllegalArgumentException(
                        "a CIDv0 is only written in base58btc; use toV1() first");
            }
            return Multibase.encodeBase58(bytes);
        }
        return Multibase.encode(base, bytes);
    }

    /**
     * CIDv1: base32 lower case with the {@code b} prefix (as ipfs-car prints); CIDv0: {@code
     * Qm...}.
     */
    @Override
    public String toString() {
        return version == 0
                ? Multibase.encodeBase58(bytes)
                : Multibase.encode(Multibase.Base.BASE32, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid
                && ((Cid) o).version == version
                && Arrays.equals(((Cid) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + version;
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 80 ? text.substring(0, 77) + "..." : text) + "\"";
    }
}
