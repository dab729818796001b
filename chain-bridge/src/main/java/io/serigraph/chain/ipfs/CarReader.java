package io.serigraph.chain.ipfs;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a CAR v1 stream block by block and checks each block against its CID (sha2-256 and identity
 * multihashes). The first problem stops reading with a {@link CarFormatException} that names it,
 * the byte offset and, for a block, its index and CID. Closing the reader closes the stream.
 *
 * <pre>{@code
 * try (CarReader car = new CarReader(Files.newInputStream(path))) {
 *     for (Block block = car.next(); block != null; block = car.next()) { ... }
 * }
 * }</pre>
 */
public final class CarReader implements Closeable {
    /** Largest header accepted by default. */
    public static final int DEFAULT_MAX_HEADER = 1 << 20;

    /**
     * Largest section (CID + block) accepted by default: ipfs-car's blocks are at most about 1 MiB.
     */
    public static final int DEFAULT_MAX_SECTION = 8 << 20;

    private final InputStream in;
    private final int maxSection;
    private final CarHeader header;
    private final MessageDigest sha256 = Multihash.newSha256();
    private long offset;
    private long blockIndex;

    /** Reads the header at once, with the default limits. */
    public CarReader(InputStream in) throws IOException {
        this(in, DEFAULT_MAX_SECTION);
    }

    /** Reads the header at once; sections longer than {@code maxSection} bytes are refused. */
    public CarReader(InputStream in, int maxSection) throws IOException {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.maxSection = maxSection;
        long length = readLength("the header length");
        if (length < 0) {
            throw new CarFormatException(
                    "empty input: a CAR file starts with a varint header length", 0);
        }
        if (length == 0 || length > DEFAULT_MAX_HEADER) {
            throw new CarFormatException(
                    "CAR header length "
                            + length
                            + " at byte offset 0 is "
                            + (length == 0
                                    ? "zero"
                                    : "over the " + DEFAULT_MAX_HEADER + "-byte limit"),
                    0);
        }
        long headerAt = offset;
        byte[] bytes = readFully((int) length, "the CAR header", 0);
        this.header = CarHeader.decode(bytes, headerAt);
    }

    /** The header. */
    public CarHeader header() {
        return header;
    }

    /** The header's roots. */
    public List<Cid> roots() {
        return header.roots();
    }

    /** The byte offset of the next section. */
    public long offset() {
        return offset;
    }

    /**
     * The next block, checked against its CID, or {@code null} at the end of the stream.
     *
     * @throws CarFormatException for a malformed or truncated section, a bad CID, an unsupported
     *     hash, or bytes that do not match the CID
     */
    public Block next() throws IOException {
        long sectionAt = offset;
        long length = readLength("a section length");
        if (length < 0) {
            return null;
        }
        String which = "section " + blockIndex + " at byte offset " + sectionAt;
        if (length == 0) {
            throw new CarFormatException(
                    which + " is empty (length 0): a section holds a CID and a block", sectionAt);
        }
        if (length > maxSection) {
            throw new CarFormatException(
                    which
                            + " declares "
                            + length
                            + " bytes, over the "
                            + maxSection
                            + "-byte limit",
                    sectionAt);
        }
        long cidAt = offset;
        byte[] section = readFully((int) length, which, sectionAt);
        Cid cid;
        try {
            cid = Cid.decodePrefix(section, 0, section.length);
        } catch (CidFormatException e) {
            throw new CarFormatException(
                    "bad CID in "
                            + which
                            + ": "
                            + e.getMessage()
                            + " (counting from the CID at byte offset "
                            + cidAt
                            + ")",
                    cidAt + Math.max(0, e.offset()),
                    e);
        }
        byte[] data = Arrays.copyOfRange(section, cid.byteLength(), section.length);
        verify(cid, data, which);
        blockIndex++;
        return new Block(cid, data);
    }

    private void verify(Cid cid, byte[] data, String which) throws CarFormatException {
        Multihash expected = cid.multihash();
        byte[] actual;
        if (expected.code() == Multihash.SHA2_256) {
            sha256.reset();
            actual = sha256.digest(data);
        } else if (expected.code() == Multihash.IDENTITY) {
            actual = data;
        } else {
            throw new CarFormatException(
                    "block "
                            + blockIndex
                            + " ("
                            + which
                            + ", CID "
                            + cid
                            + ") uses hash function 0x"
                            + Integer.toHexString(expected.code())
                            + ", which this reader cannot check",
                    offset);
        }
        if (!expected.digestEquals(actual)) {
            throw new CarFormatException(
                    "block "
                            + blockIndex
                            + " ("
                            + which
                            + ", CID "
                            + cid
                            + ") does not match its CID: its "
                            + data.length
                            + " bytes hash to "
                            + Multibase.encodeRaw(Multibase.Base.BASE16, actual)
                            + ", the CID says "
                            + Multibase.encodeRaw(Multibase.Base.BASE16, expected.digest()),
                    offset - data.length);
        }
    }

    /** Reads a varint, or returns -1 at a clean end of stream. */
    private long readLength(String what) throws IOException {
        long at = offset;
        long value;
        try {
            value = Varint.read(in, at);
        } catch (VarintFormatException e) {
            throw new CarFormatException("bad varint for " + what + ": " + e.getMessage(), at, e);
        }
        if (value >= 0) {
            offset += Varint.size(value);
        }
        return value;
    }

    private byte[] readFully(int length, String what, long start) throws IOException {
        byte[] out = in.readNBytes(length);
        offset += out.length;
        if (out.length < length) {
            throw new CarFormatException(
                    "truncated CAR: "
                            + what
                            + " (starting at byte offset "
                            + start
                            + ") needs "
                            + length
                            + " bytes but the input ends after "
                            + out.length
                            + ", at byte offset "
                            + offset,
                    offset);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
