package io.serigraph.chain.ipfs;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The UnixFS {@code Data} protobuf message carried in the Data field of a dag-pb node: what the
 * node is (file, directory, HAMT shard, ...) and its sizes. Encoded field by field as protobufjs
 * encodes {@code @ipld/unixfs}'s messages: Type, Data, filesize, blocksizes (one key per value),
 * hashType, fanout, mode, mtime; absent optional fields are left out.
 *
 * @param type the node type
 * @param data inline bytes ({@code null} = absent); a HAMT shard's bitfield
 * @param filesize the file size in bytes, or empty
 * @param blocksizes the content size under each link of a file node
 * @param hashType the HAMT hash function's multicodec code, or empty
 * @param fanout the HAMT width, or empty
 * @param mode the Unix permission bits, or empty
 * @param mtime the modification time, or {@code null}
 */
public record UnixFsData(
        Type type,
        byte[] data,
        OptionalLong filesize,
        long[] blocksizes,
        OptionalLong hashType,
        OptionalLong fanout,
        OptionalLong mode,
        Mtime mtime) {

    /** UnixFS node types, with their protobuf enum numbers. */
    public enum Type {
        RAW(0),
        DIRECTORY(1),
        FILE(2),
        METADATA(3),
        SYMLINK(4),
        HAMT_SHARD(5);

        private final int number;

        Type(int number) {
            this.number = number;
        }

        /** The protobuf enum number. */
        public int number() {
            return number;
        }
    }

    /** A modification time: seconds since the epoch and a nanosecond fraction. */
    public record Mtime(long seconds, int nanos) {}

    public UnixFsData {
        if (type == null) {
            throw new IllegalArgumentException("a UnixFS Data message needs a Type");
        }
        data = data == null ? null : data.clone();
        blocksizes = blocksizes == null ? new long[0] : blocksizes.clone();
    }

    /** A file node over chunks: {Type=File, filesize, blocksizes}. */
    public static UnixFsData file(long filesize, long[] blocksizes) {
        return new UnixFsData(
                Type.FILE,
                null,
                OptionalLong.of(filesize),
                blocksizes,
                OptionalLong.empty(),
                OptionalLong.empty(),
                OptionalLong.empty(),
                null);
    }

    /** A plain directory node: {Type=Directory}. */
    public static UnixFsData directory() {
        return new UnixFsData(
                Type.DIRECTORY,
                null,
                OptionalLong.empty(),
                null,
                OptionalLong.empty(),
                OptionalLong.empty(),
                OptionalLong.empty(),
                null);
    }

    /** A HAMT shard node; an empty bitfield is left out as {@code @ipld/unixfs} does. */
    public static UnixFsData hamtShard(byte[] bitfield, long hashType, long fanout) {
        return new UnixFsData(
                Type.HAMT_SHARD,
                bitfield.length > 0 ? bitfield : null,
                OptionalLong.empty(),
                null,
                OptionalLong.of(hashType),
                OptionalLong.of(fanout),
                OptionalLong.empty(),
                null);
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public long[] blocksizes() {
        return blocksizes.clone();
    }

    /** The protobuf bytes. */
    public byte[] encode() {
        ProtoWriter out =
                new ProtoWriter(16 + blocksizes.length * 4 + (data == null ? 0 : data.length));
        out.uint64(1, type.number());
        if (data != null) {
            out.bytes(2, data);
        }
        filesize.ifPresent(v -> out.uint64(3, v));
        for (long size : blocksizes) {
            out.uint64(4, size);
        }
        hashType.ifPresent(v -> out.uint64(5, v));
        fanout.ifPresent(v -> out.uint64(6, v));
        mode.ifPresent(v -> out.uint64(7, v));
        if (mtime != null) {
            ProtoWriter time = new ProtoWriter(16);
            time.uint64(1, mtime.seconds());
            if (mtime.nanos() != 0) {
                time.fixed32(2, mtime.nanos());
            }
            out.bytes(8, time.toByteArray());
        }
        return out.toByteArray();
    }

    /**
     * Decodes a UnixFS Data message; unknown fields are skipped as protobuf allows.
     *
     * @throws UnixFsFormatException naming what is wrong and its byte offset
     */
    public static UnixFsData decode(byte[] bytes) {
        ProtoReader in =
                new ProtoReader(bytes, 0, bytes.length, "UnixFS Data", UnixFsFormatException::new);
        Type type = null;
        byte[] data = null;
        OptionalLong filesize = OptionalLong.empty();
        long[] blocksizes = new long[0];
        int blockCount = 0;
        OptionalLong hashType = OptionalLong.empty();
        OptionalLong fanout = OptionalLong.empty();
        OptionalLong mode = OptionalLong.empty();
        Mtime mtime = null;
        while (in.hasMore()) {
            int key = in.key();
            int field = key >>> 3;
            int wireType = key & 7;
            if (field == 1 || field == 3 || (field >= 5 && field <= 7)) {
                requireWireType(in, field, wireType, ProtoWriter.VARINT);
            }
            switch (field) {
                case 1:
                    long number = in.varint("Type");
                    type = null;
                    for (Type t : Type.values()) {
                        if (t.number() == number) {
                            type = t;
                        }
                    }
                    if (type == null) {
                        throw in.fail(
                                "unknown Type " + number + " at byte offset " + in.keyOffset(),
                                in.keyOffset());
                    }
                    break;
                case 2:
                    requireWireType(in, field, wireType, 2);
                    data = in.copy(in.lengthDelimited("Data"));
                    break;
                case 3:
                    filesize = OptionalLong.of(in.varint("filesize"));
                    break;
                case 4:
                    if (wireType == 2) {
                        // Packed encoding: accepted on input, never written.
                        int start = in.lengthDelimited("blocksizes");
                        ProtoReader packed =
                                new ProtoReader(
                                        bytes,
                                        start,
                                        in.position(),
                                        "UnixFS Data blocksizes",
                                        UnixFsFormatException::new);
                        while (packed.hasMore()) {
                            blocksizes = grow(blocksizes, blockCount);
                            blocksizes[blockCount++] = packed.varint("blocksize");
                        }
                    } else {
                        requireWireType(in, field, wireType, 0);
                        blocksizes = grow(blocksizes, blockCount);
                        blocksizes[blockCount++] = in.varint("blocksize");
                    }
                    break;
                case 5:
                    hashType = OptionalLong.of(in.varint("hashType"));
                    break;
                case 6:
                    fanout = OptionalLong.of(in.varint("fanout"));
                    break;
                case 7:
                    mode = OptionalLong.of(in.varint("mode"));
                    break;
                case 8:
                    requireWireType(in, field, wireType, 2);
                    int start = in.lengthDelimited("mtime");
                    mtime = decodeMtime(bytes, start, in.position());
                    break;
                default:
                    in.skip(wireType);
            }
        }
        if (type == null) {
            throw in.fail("no Type field (required)", 0);
        }
        return new UnixFsData(
                type,
                data,
                filesize,
                Arrays.copyOf(blocksizes, blockCount),
                hashType,
                fanout,
                mode,
                mtime);
    }

    private static Mtime decodeMtime(byte[] bytes, int start, int end) {
        ProtoReader in =
                new ProtoReader(bytes, start, end, "UnixFS mtime", UnixFsFormatException::new);
        long seconds = 0;
        int nanos = 0;
        while (in.hasMore()) {
            int key = in.key();
            if (key == (1 << 3)) {
                seconds = in.varint("Seconds");
            } else if (key == ((2 << 3) | 5)) {
                nanos = in.fixed32();
            } else {
                in.skip(key & 7);
            }
        }
        return new Mtime(seconds, nanos);
    }

    private static void requireWireType(ProtoReader in, int field, int wireType, int expected) {
        if (wireType != expected) {
            throw in.fail(
                    "field "
                            + field
                            + " at byte offset "
                            + in.keyOffset()
                            + " has wire type "
                            + wireType
                            + ", expected "
                            + expected,
                    in.keyOffset());
        }
    }

    private static long[] grow(long[] array, int count) {
        return count < array.length ? array : Arrays.copyOf(array, Math.max(8, array.length * 2));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UnixFsData)) {
            return false;
        }
        UnixFsData d = (UnixFsData) o;
        return type == d.type
                && Arrays.equals(data, d.data)
                && filesize.equals(d.filesize)
                && Arrays.equals(blocksizes, d.blocksizes)
                && hashType.equals(d.hashType)
                && fanout.equals(d.fanout)
                && mode.equals(d.mode)
                && Objects.equals(mtime, d.mtime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                type,
                Arrays.hashCode(data),
                filesize,
                Arrays.hashCode(blocksizes),
                hashType,
                fanout,
                mode,
                mtime);
    }

    @Override
    public String toString() {
        return "UnixFsData["
                + type
                + (data == null ? "" : ", data=" + data.length + " bytes")
                + (filesize.isPresent() ? ", filesize=" + filesize.getAsLong() : "")
                + (blocksizes.length > 0 ? ", blocksizes=" + blocksizes.length : "")
                + (hashType.isPresent()
                        ? ", hashType=0x" + Long.toHexString(hashType.getAsLong())
                        : "")
                + (fanout.isPresent() ? ", fanout=" + fanout.getAsLong() : "")
                + "]";
    }
}
