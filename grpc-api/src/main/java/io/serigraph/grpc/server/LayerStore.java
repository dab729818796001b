package io.serigraph.grpc.server;

import io.serigraph.grpc.LayerSet;
import io.serigraph.pipeline.spec.CodePointOrder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layer sets a node holds, one folder per content hash under a root folder. An upload is
 * written to a private temporary folder and renamed into place only when complete, so a folder
 * named by a hash always holds exactly the files that hash names.
 */
public final class LayerStore {
    /** Prefix of unfinished uploads; those a stopped node left behind are removed at start. */
    private static final String INCOMING = ".incoming-";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final long maxBytes;

    /**
     * @param root where layer sets live; created if missing
     * @param maxBytes the largest layer set accepted
     */
    public LayerStore(Path root, long maxBytes) throws IOException {
        this.root = Files.createDirectories(root);
        this.maxBytes = maxBytes;
        try (Stream<Path> entries = Files.list(this.root)) {
            for (Path p : entries.toList()) {
                if (p.getFileName().toString().startsWith(INCOMING)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The folder of layer set {@code hash}. */
    public Path dir(String hash) throws LayerSetNotFoundException {
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException(
                    "layer_set must be 64 lowercase hex digits, was '" + hash + "'");
        }
        Path dir = root.resolve(hash);
        if (!Files.isDirectory(dir)) {
            throw new LayerSetNotFoundException(hash);
        }
        return dir;
    }

    /** Whether the node holds layer set {@code hash}. */
    public boolean contains(String hash) {
        return HASH.matcher(hash).matches() && Files.isDirectory(root.resolve(hash));
    }

    /** Starts an upload. */
    public Upload upload() throws IOException {
        return new Upload(Files.createDirectories(root.resolve(INCOMING + UUID.randomUUID())));
    }

    /** One layer set arriving file by file; {@link #close()} discards it unless committed. */
    public final class Upload implements AutoCloseable {
        private final Path tmp;
        private final SortedMap<String, String> hashes = new TreeMap<>(CodePointOrder.INSTANCE);
        private String path;
        private OutputStream out;
        private MessageDigest md;
        private long bytes;
        private boolean committed;

        private Upload(Path tmp) {
            this.tmp = tmp;
        }

        /** Appends {@code data} to file {@code file}, starting it when it differs from the last. */
        public void write(String file, byte[] data) throws IOException {
            LayerSet.checkPath(file);
            if (!file.equals(path)) {
                finishFile();
                if (hashes.containsKey(file)) {
                    throw new IllegalArgumentException(
                            "layer file '"
                                    + file
                                    + "' sent twice; send each file's chunks together");
                }
                Path target = tmp.resolve(file);
                Files.createDirectories(target.getParent());
                out = Files.newOutputStream(target);
                md = io.serigraph.pipeline.store.Hashes.sha256();
                path = file;
            }
            bytes += data.length;
            if (bytes > maxBytes) {
                throw new LayerSetTooLargeException(maxBytes);
            }
            out.write(data);
            md.update(data);
        }

        private void finishFile() throws IOException {
            if (path != null) {
                out.close();
                hashes.put(path, HexFormat.of().formatHex(md.digest()));
                path = null;
                out = null;
            }
        }

        /** Files so far. */
        public int files() {
            return hashes.size() + (path == null ? 0 : 1);
        }

        /** Bytes so far. */
        public long bytes() {
            return bytes;
        }

        /**
         * Finishes the upload and moves it into place; returns its hash.
         *
         * @throws IllegalArgumentException when {@code expected} is not empty and differs
         */
        public String commit(String expected) throws IOException {
            finishFile();
            if (hashes.isEmpty()) {
                throw new IllegalArgumentException("an upload needs at least one file");
            }
            String hash = LayerSet.hash(hashes);
            if (!expected.isEmpty() && !expected.equals(hash)) {
                throw new IllegalArgumentException(
                        "expected layer set " + expected + " but the files sent hash to " + hash);
            }
            Path target = root.resolve(hash);
            if (!Files.isDirectory(target)) {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    committed = true;
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                    // Another upload of the same files finished first: same bytes, keep theirs.
                }
            }
            return hash;
        }

        @Override
        public void close() throws IOException {
            if (out != null) {
                out.close();
            }
            if (!committed && Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }
}
