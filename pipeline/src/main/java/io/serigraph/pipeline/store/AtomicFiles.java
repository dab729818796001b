package io.serigraph.pipeline.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable, atomic file writes: the bytes go to a temporary file beside the target, are forced to
 * disk, and the temporary file is renamed over the target; the folder is then forced so the rename
 * itself survives a crash. A reader therefore sees the old file or the new one, never a torn one,
 * and a crash leaves at most a stray temporary file that {@link #removeStrayTemporaries} cleans.
 */
public final class AtomicFiles {
    /** Suffix of temporary files; a file ending in it is never a finished output. */
    public static final String TEMP_SUFFIX = ".serigraph-tmp";

    private AtomicFiles() {}

    /**
     * Writes {@code data} to {@code target} atomically and durably (temp, fsync, rename, fsync
     * dir).
     */
    public static void write(Path target, byte[] data) throws IOException {
        writeUnsynced(target, data);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Like {@link #write} but leaves forcing the folder to the caller, who may write several files
     * into one folder and force it once with {@link #forceDirectory}. The file's content is durable
     * when this returns; its name is durable once the folder is forced.
     */
    public static void writeUnsynced(Path target, byte[] data) throws IOException {
        put(target, data, true);
    }

    /**
     * Like {@link #writeUnsynced} but forces nothing: the file is replaced atomically for any
     * reader and survives the writer being killed, but is durable against a crash of the machine
     * only once its file system has been synced ({@link DurableWrites}).
     */
    public static void writeUnforced(Path target, byte[] data) throws IOException {
        put(target, data, false);
    }

    private static void put(Path target, byte[] data, boolean force) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp =
                dir.resolve(
                        "."
                                + target.getFileName()
                                + "."
                                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                                + TEMP_SUFFIX);
        try {
            try (FileChannel ch =
                    FileChannel.open(
                            temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (force) {
                    ch.force(true);
                }
            }
            Files.move(
                    temp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Forces a folder's entries (new names, renames) to disk. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or force a directory; the rename is still atomic.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Deletes temporary files a killed run left in {@code dir}; returns how many. */
    public static int removeStrayTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            for (Path p : entries) {
                if (Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
