package io.serigraph.chain.ipfs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Writes CAR files the way {@code ipfs-car pack ... --output file.car} does, byte for byte: the
 * header first names a placeholder root, the blocks follow as the importer makes them, and the
 * header is then rewritten in place with the real root (which has the same length). The CAR file is
 * written where asked, directly; write to a temporary name and rename it to publish atomically.
 */
public final class CarPacker {
    /** The placeholder root ipfs-car writes before it knows the real one. */
    static final Cid PLACEHOLDER_ROOT =
            Cid.parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");

    private CarPacker() {}

    /**
     * {@code ipfs-car pack <input> [--no-wrap] --output <car>}; see {@link
     * UnixFsImporter#importPath}.
     */
    public static ImportResult pack(UnixFsImporter importer, Path input, boolean wrap, Path car)
            throws IOException {
        return write(car, sink -> importer.importPath(input, wrap, sink));
    }

    /** A CAR of these files as one directory; see {@link UnixFsImporter#importFiles}. */
    public static ImportResult pack(UnixFsImporter importer, Collection<FileEntry> files, Path car)
            throws IOException {
        return write(car, sink -> importer.importFiles(files, sink));
    }

    /** A CAR of one file read from a stream (not closed); as {@code ipfs-car pack --no-wrap}. */
    public static ImportResult pack(UnixFsImporter importer, InputStream file, Path car)
            throws IOException {
        return write(car, sink -> importer.importFile(file, sink));
    }

    private interface Import {
        ImportResult run(BlockSink sink) throws IOException;
    }

    private static ImportResult write(Path car, Import action) throws IOException {
        ImportResult result;
        try (OutputStream file = Files.newOutputStream(car);
                CarWriter writer =
                        new CarWriter(
                                new BufferedOutputStream(file, 1 << 16),
                                List.of(PLACEHOLDER_ROOT))) {
            result = action.run(writer);
        }
        CarWriter.replaceRoots(car, List.of(result.root()));
        return result;
    }
}
