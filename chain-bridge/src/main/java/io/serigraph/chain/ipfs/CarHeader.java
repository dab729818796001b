package io.serigraph.chain.ipfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header of a CAR v1 file: the dag-cbor map {@code {roots: [CID...], version: 1}}, keys in
 * dag-cbor order (shorter first), each CID as CBOR tag 42 over a byte string of {@code 0x00} (the
 * identity multibase prefix) and the binary CID. Only the CBOR this header needs is written and
 * read.
 *
 * @param roots the root CIDs (ipfs-car writes one)
 */
public record CarHeader(List<Cid> roots) {
    private static final byte[] ROOTS = "roots".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION = "version".getBytes(StandardCharsets.US_ASCII);
    private static final int CID_TAG = 42;

    public CarHeader {
        roots = List.copyOf(roots);
    }

    /**
     * The dag-cbor bytes of the header (without the varint length that precedes them in a file).
     */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + roots.size() * 42);
        head(out, 5, 2);
        head(out, 3, ROOTS.length);
        out.writeBytes(ROOTS);
        head(out, 4, roots.size());
        for (Cid root : roots) {
            head(out, 6, CID_TAG);
            head(out, 2, root.byteLength() + 1);
            out.write(0);
            out.writeBytes(root.bytes());
        }
        head(out, 3, VERSION.length);
        out.writeBytes(VERSION);
        head(out, 0, 1);
        return out.toByteArray();
    }

    /** The varint length and the dag-cbor bytes: how a CAR file begins. */
    public byte[] encodeWithLength() {
        byte[] cbor = encode();
        byte[] out = new byte[Varint.size(cbor.length) + cbor.length];
        System.arraycopy(cbor, 0, out, Varint.write(cbor.length, out, 0), cbor.length);
        return out;
    }

    private static void head(ByteArrayOutputStream out, int major, long value) {
        int type = major << 5;
        if (value < 24) {
            out.write(type | (int) value);
        } else if (value < 0x100) {
            out.write(type | 24);
            out.write((int) value);
        } else if (value < 0x10000) {
            out.write(type | 25);
            writeBigEndian(out, value, 2);
        } else if (value < 0x100000000L) {
            out.write(type | 26);
            writeBigEndian(out, value, 4);
        } else {
            out.write(type | 27);
            writeBigEndian(out, value, 8);
        }
    }

    private static void writeBigEndian(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }

    /**
     * Decodes the header's dag-cbor bytes.
     *
     * @param fileOffset where {@code bytes} start in the CAR file, for error offsets
     * @throws CarFormatException if it is not a CAR v1 header
     */
    public static CarHeader decode(byte[] bytes, long fileOffset) throws CarFormatException {
        Cbor in = new Cbor(bytes, fileOffset);
        long entries = in.head(5, "the header map");
        List<Cid> roots = null;
        Long version = null;
        for (long i = 0; i < entries; i++) {
            long keyAt = in.offset();
            String key = in.text();
            if (key.equals("roots")) {
                if (roots != null) {
                    throw new CarFormatException(
                            "CAR header has \"roots\" twice (byte offset " + keyAt + ")", keyAt);
                }
                long count = in.head(4, "the roots array");
                roots = new ArrayList<>();
                for (long r = 0; r < count; r++) {
                    roots.add(in.cid());
                }
            } else if (key.equals("version")) {
                if (version != null) {
                    throw new CarFormatException(
                            "CAR header has \"version\" twice (byte offset " + keyAt + ")", keyAt);
                }
                long versionAt = in.offset();
                version = in.head(0, "the version");
                if (version != 1) {
                    throw new CarFormatException(
                            "unsupported CAR version "
                                    + version
                                    + " at byte offset "
                                    + versionAt
                                    + " (this reader reads CAR v1"
                                    + (version == 2
                                            ? "; a CARv2 file wraps a CARv1 payload)"
                                            : ")"),
                            versionAt);
                }
            } else {
                throw new CarFormatException(
                        "unexpected key \""
                                + key
                                + "\" in the CAR header at byte offset "
                                + keyAt
                                + " (a CAR v1 header has only roots and version)",
                        keyAt);
            }
        }
        if (in.remaining() > 0) {
            throw new CarFormatException(
                    in.remaining()
                            + " unexpected byte(s) after the CAR header map at byte offset "
                            + in.offset(),
                    in.offset());
        }
        if (version == null || roots == null) {
            throw new CarFormatException(
                    "CAR header at byte offset "
                            + fileOffset
                            + " lacks \""
                            + (version == null ? "version" : "roots")
                            + "\"",
                    fileOffset);
        }
        return new CarHeader(roots);
    }

    /** A strict reader of the few CBOR items a CAR header holds. */
    private static final class Cbor {
        private final byte[] bytes;
        private final long base;
        private int position;

        Cbor(byte[] bytes, long base) {
            this.bytes = bytes;
            this.base = base;
        }

        long offset() {
            return base + position;
        }

        int remaining() {
            return bytes.length - position;
        }

        /**
         * Reads an item head of the expected major type; returns its argument (minimal encoding
         * required).
         */
        long head(int major, String what) throws CarFormatException {
            long at = offset();
            int initial = next(what);
            if (initial >>> 5 != major) {
                throw new CarFormatException(
                        "expected "
                                + what
                                + " (CBOR major type "
                                + major
                                + ") at byte offset "
                                + at
                                + ", found major type "
                                + (initial >>> 5),
                        at);
            }
            int info = initial & 31;
            if (info < 24) {
                return info;
            }
            if (info > 27) {
                throw new CarFormatException(
                        what
                                + " at byte offset "
                                + at
                                + " uses an indefinite or reserved length (additional info "
                                + info
                                + "), not allowed in dag-cbor",
                        at);
            }
            int size = 1 << (info - 24);
            long value = 0;
            for (int i = 0; i < size; i++) {
                value = (value << 8) | next(what);
            }
            long minimum = info == 24 ? 24 : 1L << (8 * (size / 2));
            if (value < minimum || value < 0) {
                throw new CarFormatException(
                        what
                                + " at byte offset "
                                + at
                                + " is not minimally encoded (dag-cbor requires it)",
                        at);
            }
            return value;
        }

        String text() throws CarFormatException {
            long length = head(3, "a text key");
            byte[] raw = take(length, "a text key");
            return new String(raw, StandardCharsets.UTF_8);
        }

        Cid cid() throws CarFormatException {
            long at = offset();
            long tag = head(6, "a CID (tag 42)");
            if (tag != CID_TAG) {
                throw new CarFormatException(
                        "expected CBOR tag 42 (CID) at byte offset " + at + ", found tag " + tag,
                        at);
            }
            long bytesAt = offset();
            long length = head(2, "the CID byte string");
            long contentAt = offset();
            byte[] raw = take(length, "the CID byte string");
            if (raw.length == 0 || raw[0] != 0) {
                throw new CarFormatException(
                        "CID byte string at byte offset "
                                + bytesAt
                                + " must start with 0x00 (identity multibase)",
                        bytesAt);
            }
            byte[] cidBytes = Arrays.copyOfRange(raw, 1, raw.length);
            try {
                return Cid.decode(cidBytes);
            } catch (CidFormatException e) {
                long where = contentAt + 1 + Math.max(0, e.offset());
                throw new CarFormatException(
                        "bad root CID in the CAR header: " + e.getMessage(), where, e);
            }
        }

        private byte[] take(long length, String what) throws CarFormatException {
            if (length > remaining()) {
                throw new CarFormatException(
                        what
                                + " at byte offset "
                                + offset()
                                + " declares "
                                + length
                                + " bytes but only "
                                + remaining()
                                + " remain in the header",
                        offset());
            }
            byte[] out = Arrays.copyOfRange(bytes, position, position + (int) length);
            position += (int) length;
            return out;
        }

        private int next(String what) throws CarFormatException {
            if (position >= bytes.length) {
                throw new CarFormatException(
                        "CAR header ends at byte offset " + offset() + " in the middle of " + what,
                        offset());
            }
            return bytes[position++] & 0xFF;
        }
    }
}
