package io.serigraph.grpc;

import io.serigraph.pipeline.spec.CodePointOrder;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.OneOfOneSpec;
import io.serigraph.pipeline.spec.TraitSpec;
import io.serigraph.pipeline.store.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A spec's trait files as a node receives them: relative, {@code /}-separated paths (relative to
 * the spec's folder) and their bytes, named by a content hash. The hash is SHA-256 (hex) over the
 * lines {@code <path>\t<sha256 hex of the file>\n}, paths in code point order, so the same files
 * give the same hash on every machine.
 */
public final class LayerSet {
    private final SortedMap<String, byte[]> files;
    private final String hash;

    private LayerSet(SortedMap<String, byte[]> files) {
        this.files = Collections.unmodifiableSortedMap(files);
        this.hash = hash(fileHashes(files));
    }

    /**
     * The trait files and one-of-one images of {@code spec}, read from disk.
     *
     * @throws IllegalArgumentException when a layer folder lies outside the spec's folder, which a
     *     node cannot reproduce
     */
    public static LayerSet of(CollectionSpec spec) throws IOException {
        Path base = spec.baseDir().toAbsolutePath().normalize();
        SortedMap<String, byte[]> files = new TreeMap<>(CodePointOrder.INSTANCE);
        for (LayerSpec layer : spec.layers()) {
            for (TraitSpec trait : layer.traits()) {
                Path file = trait.file().toAbsolutePath().normalize();
                if (!file.startsWith(base)) {
                    throw new IllegalArgumentException(
                            "layer file "
                                    + file
                                    + " is outside the spec's folder "
                                    + base
                                    + "; move the layer folder inside it to render on a node");
                }
                files.put(relative(base, file), Files.readAllBytes(file));
            }
        }
        for (OneOfOneSpec one : spec.oneOfOnes()) {
            Path file = one.image().toAbsolutePath().normalize();
            if (!file.startsWith(base)) {
                throw new IllegalArgumentException(
                        "one-of-one image "
                                + file
                                + " is outside the spec's folder "
                                + base
                                + "; move it inside it to render on a node");
            }
            files.put(relative(base, file), Files.readAllBytes(file));
        }
        return new LayerSet(files);
    }

    /** The layer set of already read files, keyed by relative path. */
    public static LayerSet of(Map<String, byte[]> files) {
        SortedMap<String, byte[]> sorted = new TreeMap<>(CodePointOrder.INSTANCE);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            sorted.put(checkPath(e.getKey()), e.getValue());
        }
        return new LayerSet(sorted);
    }

    /** The content hash of files given by path and the SHA-256 (hex) of their bytes. */
    public static String hash(SortedMap<String, String> fileSha256) {
        MessageDigest md = Hashes.sha256();
        for (Map.Entry<String, String> e : fileSha256.entrySet()) {
            md.update((e.getKey() + "\t" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    private static SortedMap<String, String> fileHashes(SortedMap<String, byte[]> files) {
        SortedMap<String, String> out = new TreeMap<>(CodePointOrder.INSTANCE);
        files.forEach((path, bytes) -> out.put(path, Hashes.sha256Hex(bytes)));
        return out;
    }

    /**
     * {@code path} when it is a safe relative path ({@code /}-separated, no empty, {@code .} or
     * {@code ..} segments, no backslash, no leading {@code /}).
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("bad layer file path '" + path + "'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("bad layer file path '" + path + "'");
            }
        }
        return path;
    }

    private static String relative(Path base, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : base.relativize(file)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return checkPath(sb.toString());
    }

    /** The files by relative path, in code point order. */
    public SortedMap<String, byte[]> files() {
        return files;
    }

    /** The content hash (64 lowercase hex digits). */
    public String hash() {
        return hash;
    }
}
