package io.serigraph.pipeline.store;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic file writes into a few folders, made durable together once per batch: {@link #write} puts
 * a file in place (temporary file, rename), and {@link #commit} returns once every file written
 * before it survives a crash of the machine, so a caller records a batch of files only after its
 * commit.
 *
 * <p>Two ways, the same guarantee. On Linux, files are written without forcing anything and a
 * commit is one {@code syncfs(2)} per file system (through JNA): the kernel writes back the whole
 * batch at once, where forcing each file costs a flush and a journal commit apiece (rendering flat
 * art to ext4 took ~10% less CPU; {@code benchmarks/README.md}, 2026-12-07). The file systems are
 * opened when the batch is, before any write, so a commit reports every write-back error since
 * (Linux 5.8+); a syncfs also writes back what other programs left dirty on that file system, which
 * can only make a commit slower. Elsewhere, or where JNA cannot load, each file is forced as it is
 * written ({@link AtomicFiles#writeUnsynced}) and a commit forces the folders, so the renames last.
 *
 * <p>{@link #write} may be called from many threads at once; {@link #commit} from one.
 */
public final class DurableWrites implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableWrites.class);

    /** open(2) flags: read-only, closed on exec (the same on every Linux architecture). */
    private static final int O_RDONLY_CLOEXEC = 02000000;

    private static final LibC LIBC = loadLibC();

    private final List<Path> folders;

    /** One open descriptor per file system of the folders, or empty when forcing per file. */
    private final int[] fileSystems;

    private final List<Path> fileSystemFolders;
    private boolean closed;

    private DurableWrites(List<Path> folders, int[] fileSystems, List<Path> fileSystemFolders) {
        this.folders = folders;
        this.fileSystems = fileSystems;
        this.fileSystemFolders = fileSystemFolders;
    }

    /**
     * A batch writer for files in {@code folders} (created when missing), by syncfs where the
     * platform has it.
     */
    public static DurableWrites open(List<Path> folders) throws IOException {
        return open(folders, LIBC != null);
    }

    /** As {@link #open(List)}, forcing each file when {@code syncfs} is false (tests). */
    static DurableWrites open(List<Path> folders, boolean syncfs) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (Path f : folders) {
            Path dir = f.toAbsolutePath();
            Files.createDirectories(dir);
            dirs.add(dir);
        }
        if (!syncfs || LIBC == null) {
            return new DurableWrites(List.copyOf(dirs), new int[0], List.of());
        }
        List<FileStore> stores = new ArrayList<>();
        List<Path> storeFolders = new ArrayList<>();
        for (Path dir : dirs) {
            FileStore store = Files.getFileStore(dir);
            if (!stores.contains(store)) {
                stores.add(store);
                storeFolders.add(dir);
            }
        }
        int[] fds = new int[storeFolders.size()];
        int opened = 0;
        try {
            for (; opened < fds.length; opened++) {
                fds[opened] = LIBC.open(storeFolders.get(opened).toString(), O_RDONLY_CLOEXEC);
            }
        } catch (LastErrorException e) {
            for (int i = 0; i < opened; i++) {
                closeQuietly(fds[i]);
            }
            throw new IOException(
                    "opening "
                            + storeFolders.get(opened)
                            + " to sync its file system: "
                            + e.getMessage(),
                    e);
        }
        return new DurableWrites(List.copyOf(dirs), fds, List.copyOf(storeFolders));
    }

    /** How a commit makes the files durable: {@code "syncfs"} or {@code "fsync"} (per file). */
    public String method() {
        return fileSystems.length > 0 ? "syncfs" : "fsync";
    }

    /**
     * Puts {@code data} in place at {@code target} atomically (a reader sees the old file or the
     * new one); durable once the next {@link #commit} returns.
     */
    public void write(Path target, byte[] data) throws IOException {
        if (fileSystems.length > 0) {
            AtomicFiles.writeUnforced(target, data);
        } else {
            AtomicFiles.writeUnsynced(target, data);
        }
    }

    /** Returns once every file written before it is durable. */
    public void commit() throws IOException {
        if (closed) {
            throw new IllegalStateException("these DurableWrites are closed");
        }
        if (fileSystems.length == 0) {
            for (Path dir : folders) {
                AtomicFiles.forceDirectory(dir);
            }
            return;
        }
        for (int i = 0; i < fileSystems.length; i++) {
            try {
                LIBC.syncfs(fileSystems[i]);
            } catch (LastErrorException e) {
                throw new IOException(
                        "writing back the file system of "
                                + fileSystemFolders.get(i)
                                + " (syncfs) failed: "
                                + e.getMessage()
                                + "; files written since the last commit may not be on disk",
                        e);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (int fd : fileSystems) {
                closeQuietly(fd);
            }
        }
    }

    private static void closeQuietly(int fd) {
        try {
            LIBC.close(fd);
        } catch (LastErrorException ignored) {
            // a descriptor only read from: nothing is lost
        }
    }

    /** The three libc calls, bound by JNA. */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int syncfs(int fd) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** libc where it has syncfs (Linux), or {@code null}: then every file is forced. */
    private static LibC loadLibC() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            LibC libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
            // Throws UnsatisfiedLinkError where this libc has no syncfs.
            com.sun.jna.NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("syncfs");
            return libc;
        } catch (LinkageError | RuntimeException e) {
            LOG.info(
                    "syncfs is unavailable ({}); durable writes force each file instead",
                    e.getMessage());
            return null;
        }
    }
}
