package io.serigraph.chain.ipfs;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns files and directories into UnixFS blocks exactly as ipfs-car 3.1.0 does with its defaults,
 * so that root CIDs (and CAR files written from the blocks) are identical:
 *
 * <ul>
 *   <li>files: 1 MiB (1,048,576-byte) fixed-size chunks as raw blocks (codec 0x55); a file of at
 *       most one chunk is that raw block, the empty file included; larger files get a balanced tree
 *       of dag-pb UnixFS File nodes with at most 1024 links each ({@link BalancedFileWriter});
 *   <li>directories: a dag-pb UnixFS Directory node with links sorted by the UTF-8 bytes of their
 *       names, or, when a directory has more than 1000 entries, a HAMT-sharded directory ({@link
 *       HamtShardWriter}); ipfs-car decides by entry count alone;
 *   <li>CIDv1, sha2-256, no metadata (mode, mtime) recorded.
 * </ul>
 *
 * <p>Blocks go to a {@link BlockSink} as they are made, in ipfs-car's order: a file's blocks as its
 * tree fills, a directory's entries one after the other (files and sub-directories in the order of
 * their sorted paths) and then the directory itself. Identical content is emitted as often as it
 * occurs, as ipfs-car does. File content is streamed: at most one chunk per file is held in memory.
 *
 * <p>An importer holds a reusable SHA-256 digest and buffer: use one per thread.
 */
public final class UnixFsImporter {
    /** ipfs-car's chunk size: 1 MiB. */
    public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;

    /** ipfs-car's balanced-tree width: 1024 links per file node. */
    public static final int DEFAULT_MAX_LINKS = 1024;

    /** ipfs-car shards a directory with more entries than this. */
    public static final int DEFAULT_SHARD_THRESHOLD = 1000;

    /**
     * The size of one read, and so of one write into the layout: ipfs-car reads files through
     * Node's {@code fs.createReadStream}, 64 KiB at a time, and the block order of deep trees
     * depends on it.
     */
    static final int READ_SIZE = 64 * 1024;

    private final int chunkSize;
    private final int maxLinks;
    private final int shardThreshold;
    private final MessageDigest sha256 = Multihash.newSha256();
    private byte[] buffer;

    /** An importer with ipfs-car's defaults. */
    public UnixFsImporter() {
        this(DEFAULT_CHUNK_SIZE, DEFAULT_MAX_LINKS, DEFAULT_SHARD_THRESHOLD);
    }

    private UnixFsImporter(int chunkSize, int maxLinks, int shardThreshold) {
        this.chunkSize = chunkSize;
        this.maxLinks = maxLinks;
        this.shardThreshold = shardThreshold;
    }

    /** A builder for non-default settings (the defaults are ipfs-car's). */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings; everything is optional and defaults to ipfs-car's value. */
    public static final class Builder {
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private int maxLinks = DEFAULT_MAX_LINKS;
        private int shardThreshold = DEFAULT_SHARD_THRESHOLD;

        private Builder() {}

        /** Bytes per chunk (default 1 MiB). */
        public Builder optChunkSize(int chunkSize) {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunk size must be positive, not " + chunkSize);
            }
            this.chunkSize = chunkSize;
            return this;
        }

        /** Most links per file node (default 1024). */
        public Builder optMaxLinksPerNode(int maxLinks) {
            if (maxLinks < 2) {
                throw new IllegalArgumentException(
                        "a file node needs room for 2 links, not " + maxLinks);
            }
            this.maxLinks = maxLinks;
            return this;
        }

        /** A directory with more entries than this is HAMT-sharded (default 1000). */
        public Builder optShardThreshold(int shardThreshold) {
            if (shardThreshold < 0) {
                throw new IllegalArgumentException("negative shard threshold " + shardThreshold);
            }
            this.shardThreshold = shardThreshold;
            return this;
        }

        public UnixFsImporter build() {
            return new UnixFsImporter(chunkSize, maxLinks, shardThreshold);
        }
    }

    /**
     * Imports a file held in memory ({@code ipfs-car pack --no-wrap} of a file with these bytes).
     */
    public ImportResult importBytes(byte[] bytes, BlockSink sink) throws IOException {
        return importFile(new ByteArrayInputStream(bytes), sink);
    }

    /**
     * Imports one file from a stream, read to its end in 64 KiB reads ({@code ipfs-car pack
     * --no-wrap}). The stream is not closed.
     */
    public ImportResult importFile(InputStream in, BlockSink sink) throws IOException {
        if (buffer == null) {
            buffer = new byte[chunkSize];
        }
        BalancedFileWriter file = new BalancedFileWriter(maxLinks, sha256, sink);
        int filled = 0;
        boolean end = false;
        List<byte[]> chunks = new ArrayList<>();
        while (!end) {
            int slice = READ_SIZE;
            while (slice > 0) {
                int want = Math.min(chunkSize - filled, slice);
                int n = in.readNBytes(buffer, filled, want);
                filled += n;
                slice -= n;
                if (filled == chunkSize) {
                    chunks.add(Arrays.copyOf(buffer, chunkSize));
                    filled = 0;
                }
                if (n < want) {
                    end = true;
                    break;
                }
            }
            if (!end && !chunks.isEmpty()) {
                file.write(chunks);
                chunks = new ArrayList<>();
            }
        }
        // The last read's whole chunks are one write, as in ipfs-car; the partial chunk comes with
        // close.
        if (!chunks.isEmpty()) {
            file.write(chunks);
            chunks = new ArrayList<>();
        }
        if (filled > 0) {
            chunks.add(Arrays.copyOf(buffer, filled));
        }
        return file.close(chunks);
    }

    /**
     * Imports files as a directory tree, as ipfs-car's {@code createDirectoryEncoderStream} does
     * for the files {@code ipfs-car pack} finds: paths are {@code /}-separated and relative (a
     * leading {@code /} or {@code ./} is dropped); intermediate directories are created; files are
     * visited in the UTF-16 order of their paths. An empty collection gives the empty directory.
     *
     * @throws IllegalArgumentException for a path with an empty, {@code .} or {@code ..} segment, a
     *     path given twice, or a name used both as a file and as a directory
     */
    public ImportResult importFiles(Collection<FileEntry> files, BlockSink sink)
            throws IOException {
        List<FileEntry> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(FileEntry::path));
        Directory root = new Directory();
        for (FileEntry file : sorted) {
            List<String> segments = segments(file.path());
            Directory dir = root;
            for (int i = 0; i < segments.size() - 1; i++) {
                String name = segments.get(i);
                Object existing = dir.entries.get(name);
                if (existing == null) {
                    Directory child = new Directory();
                    dir.entries.put(name, child);
                    dir = child;
                } else if (existing instanceof Directory) {
                    dir = (Directory) existing;
                } else {
                    throw new IllegalArgumentException(
                            "\""
                                    + name
                                    + "\" in "
                                    + file.path()
                                    + " cannot be a file and a directory");
                }
            }
            String name = segments.get(segments.size() - 1);
            Object existing = dir.entries.get(name);
            if (existing instanceof Directory) {
                throw new IllegalArgumentException(
                        "\"" + name + "\" in " + file.path() + " cannot be a file and a directory");
            } else if (existing != null) {
                throw new IllegalArgumentException("file " + file.path() + " is given twice");
            }
            dir.entries.put(name, file);
        }
        return writeDirectory(root, sink);
    }

    /**
     * Does what {@code ipfs-car pack <path>} does (with {@code --no-wrap} when {@code wrap} is
     * false): collects the regular files under {@code path} like files-from-path 1.1 (skipping
     * names that start with {@code .}, symbolic links inside directories, and so empty
     * directories), names them relative to the deepest directory common to all of them, and imports
     * them with {@link #importFiles}; a single file with {@code wrap} false is imported as a bare
     * file.
     *
     * <p>Note ipfs-car's consequences, reproduced here: a directory whose files all lie in one
     * sub-directory is packed as that sub-directory; a single file is wrapped in a directory unless
     * {@code wrap} is false. Non-ASCII file names need a UTF-8 {@code sun.jnu.encoding}.
     */
    public ImportResult importPath(Path path, boolean wrap, BlockSink sink) throws IOException {
        List<Path> found = new ArrayList<>();
        Path absolute = path.toAbsolutePath().normalize();
        Path fileName = absolute.getFileName();
        if (fileName == null || !fileName.toString().startsWith(".")) {
            BasicFileAttributes attributes =
                    Files.readAttributes(absolute, BasicFileAttributes.class);
            if (attributes.isRegularFile()) {
                found.add(absolute);
            } else if (attributes.isDirectory()) {
                collect(absolute, found);
            }
        }
        if (found.size() == 1 && !wrap) {
            try (InputStream in = Files.newInputStream(found.get(0))) {
                return importFile(in, sink);
            }
        }
        String[] common = null;
        for (Path file : found) {
            String[] parts = file.toString().split(File.separator.equals("\\") ? "\\\\" : "/", -1);
            if (common == null) {
                common = Arrays.copyOf(parts, parts.length - 1);
                continue;
            }
            for (int i = 0; i < common.length; i++) {
                if (i >= parts.length || !common[i].equals(parts[i])) {
                    common = Arrays.copyOf(common, i);
                    break;
                }
            }
        }
        int prefix = common == null ? 0 : String.join("/", common).length() + 1;
        List<FileEntry> files = new ArrayList<>(found.size());
        for (Path file : found) {
            String name = file.toString().replace(File.separatorChar, '/').substring(prefix);
            files.add(FileEntry.of(name, file));
        }
        return importFiles(files, sink);
    }

    private static void collect(Path dir, List<Path> found) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (child.getFileName().toString().startsWith(".")) {
                    continue;
                }
                BasicFileAttributes attributes =
                        Files.readAttributes(
                                child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile()) {
                    found.add(child);
                } else if (attributes.isDirectory()) {
                    collect(child, found);
                }
            }
        }
    }

    /**
     * A directory being assembled: entries (a {@link FileEntry} or a Directory) in insertion order.
     */
    private static final class Directory {
        final Map<String, Object> entries = new LinkedHashMap<>();
    }

    private ImportResult writeDirectory(Directory dir, BlockSink sink) throws IOException {
        List<HamtShardWriter.Entry> entries = new ArrayList<>(dir.entries.size());
        long contentSize = 0;
        long blockCount = 0;
        for (Map.Entry<String, Object> e : dir.entries.entrySet()) {
            ImportResult child;
            if (e.getValue() instanceof Directory) {
                child = writeDirectory((Directory) e.getValue(), sink);
            } else {
                try (InputStream in = ((FileEntry) e.getValue()).content().open()) {
                    child = importFile(in, sink);
                }
            }
            entries.add(new HamtShardWriter.Entry(e.getKey(), child.root(), child.dagSize()));
            contentSize += child.contentSize();
            blockCount += child.blockCount();
        }
        ImportResult self;
        if (entries.size() > shardThreshold) {
            self = new HamtShardWriter(sha256, sink).write(entries, contentSize);
        } else {
            self = writeFlatDirectory(entries, contentSize, sink);
        }
        return new ImportResult(
                self.root(), contentSize, self.dagSize(), blockCount + self.blockCount());
    }

    private ImportResult writeFlatDirectory(
            List<HamtShardWriter.Entry> entries, long contentSize, BlockSink sink)
            throws IOException {
        byte[][] names = new byte[entries.size()][];
        Integer[] order = new Integer[entries.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = entries.get(i).name().getBytes(StandardCharsets.UTF_8);
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> DagPb.compareNames(names[a], names[b]));
        List<DagPb.Link> links = new ArrayList<>(entries.size());
        long dagSize = 0;
        for (int i : order) {
            HamtShardWriter.Entry entry = entries.get(i);
            links.add(new DagPb.Link(entry.cid(), entry.name(), entry.dagSize()));
            dagSize += entry.dagSize();
        }
        byte[] bytes = DagPb.encode(links, UnixFsData.directory().encode());
        Cid cid = Cid.v1(Cid.DAG_PB, Multihash.sha256(bytes, 0, bytes.length, sha256));
        sink.accept(new Block(cid, bytes));
        return new ImportResult(cid, contentSize, dagSize + bytes.length, 1);
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>(Arrays.asList(path.split("/", -1)));
        if (segments.size() > 1 && (segments.get(0).isEmpty() || segments.get(0).equals("."))) {
            segments.remove(0);
        }
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "file path \"" + path + "\" has an empty, \".\" or \"..\" segment");
            }
        }
        return segments;
    }
}
