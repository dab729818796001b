package io.serigraph.chain.ipfs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file to put in a UnixFS directory: its path inside the directory ({@code /}-separated, e.g.
 * {@code images/1.png}) and where its bytes come from. The content is opened when the importer
 * reaches the file and read once, as a stream.
 *
 * @param path the path inside the directory
 * @param content opens the file's bytes
 */
public record FileEntry(String path, Content content) {
    /** Opens a file's bytes; called once per import. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    public FileEntry {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a file entry needs a non-empty path");
        }
        if (content == null) {
            throw new IllegalArgumentException("file entry " + path + " has no content");
        }
    }

    /** A file whose bytes are in memory (not copied: do not change the array). */
    public static FileEntry of(String path, byte[] bytes) {
        return new FileEntry(path, () -> new ByteArrayInputStream(bytes));
    }

    /** A file whose bytes are read from {@code file} when it is imported. */
    public static FileEntry of(String path, Path file) {
        return new FileEntry(path, () -> Files.newInputStream(file));
    }
}
