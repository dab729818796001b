package io.serigraph.chain.ipfs;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a CAR v1 stream: the header, then one section per block, {@code varint(length of CID +
 * block) CID block}, in the order the blocks arrive. Blocks are written as given; none is dropped
 * as a duplicate (ipfs-car does not drop them either). Closing the writer closes the stream.
 */
public final class CarWriter implements BlockSink, Closeable, Flushable {
    private final OutputStream out;
    private final byte[] prefix = new byte[Varint.MAX_LENGTH];
    private long blockCount;
    private long bytesWritten;

    /** Writes the header with these roots at once. */
    public CarWriter(OutputStream out, List<Cid> roots) throws IOException {
        this.out = out;
        byte[] header = new CarHeader(roots).encodeWithLength();
        out.write(header);
        bytesWritten = header.length;
    }

    @Override
    public void accept(Block block) throws IOException {
        Cid cid = block.cid();
        int n = Varint.write((long) cid.byteLength() + block.bytes().length, prefix, 0);
        out.write(prefix, 0, n);
        cid.writeTo(out);
        out.write(block.bytes());
        blockCount++;
        bytesWritten += n + cid.byteLength() + block.bytes().length;
    }

    /** Blocks written so far. */
    public long blockCount() {
        return blockCount;
    }

    /** Bytes written so far, header included. */
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * Replaces the roots in the header of a CAR file in place, as {@code @ipld/car}'s {@code
     * updateRootsInFile} does for ipfs-car: the new header must have exactly the length of the old
     * one (true when a placeholder CID is replaced by a CID of the same version, codec size and
     * hash).
     *
     * @throws CarFormatException if the file's header cannot be read or the lengths differ
     */
    public static void replaceRoots(Path car, List<Cid> roots) throws IOException {
        byte[] replacement = new CarHeader(roots).encodeWithLength();
        try (FileChannel channel =
                FileChannel.open(car, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer head =
                    ByteBuffer.allocate(
                            (int) Math.min(channel.size(), replacement.length + Varint.MAX_LENGTH));
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // Read what the header's length needs.
            }
            byte[] bytes = Arrays.copyOf(head.array(), head.position());
            long length;
            try {
                length = Varint.decode(bytes, 0, bytes.length);
            } catch (VarintFormatException e) {
                throw new CarFormatException(
                        "bad CAR header length in " + car + ": " + e.getMessage(), 0, e);
            }
            long existing = Varint.length(bytes, 0) + length;
            if (existing != replacement.length) {
                throw new CarFormatException(
                        "cannot replace the roots of "
                                + car
                                + " in place: its header is "
                                + existing
                                + " bytes, the new one "
                                + replacement.length,
                        0);
            }
            channel.write(ByteBuffer.wrap(replacement), 0);
            channel.force(false);
        }
    }
}
