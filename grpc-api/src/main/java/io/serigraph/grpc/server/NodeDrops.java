package io.serigraph.grpc.server;

import io.serigraph.grpc.v1.SpecRef;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The drops a node runs, one folder each: {@code <root>/<drop id>/} holds {@code serigraph.yaml}
 * (the client's bytes), the layer set's files (hard links into the layer store where the file
 * system allows, else copies) and {@code out/} with the images, metadata, QC archives and the
 * drop's store ({@code out/drop.db}), exactly as a drop folder on a client. The drop id is SHA-256
 * of {@code "<layer set>:<sha256 of the spec>"}, so the same spec and layers always resume the same
 * drop. A folder is assembled under a private name and renamed into place when complete; unfinished
 * ones of a stopped node are removed at start.
 */
final class NodeDrops implements AutoCloseable {
    private static final String PARTIAL = ".partial-";

    /** One drop: its spec (loaded from its folder), its store, and the locks of Run and Mint. */
    static final class Drop {
        final String id;
        final CollectionSpec spec;
        final DropStore store;
        final ReentrantLock run = new ReentrantLock();
        final ReentrantLock mint = new ReentrantLock();

        Drop(String id, CollectionSpec spec, DropStore store) {
            this.id = id;
            this.spec = spec;
            this.store = store;
        }
    }

    private final Path root;
    private final LayerStore layers;
    private final Map<String, Drop> open = new HashMap<>();

    NodeDrops(Path root, LayerStore layers) throws IOException {
        this.root = root;
        this.layers = layers;
        Files.createDirectories(root);
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.toList()) {
                if (p.getFileName().toString().contains(PARTIAL)) {
                    deleteTree(p);
                }
            }
        }
    }

    /** The drop id of {@code ref}. */
    static String id(SpecRef ref) {
        return Hashes.sha256Hex(
                (ref.getLayerSet() + ":" + Hashes.sha256Hex(ref.getSpecYaml().toByteArray()))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The drop of {@code ref}, assembling its folder on first use. The caller has already checked
     * the spec against the layer set (so loading it here cannot fail on the client's input).
     */
    synchronized Drop open(SpecRef ref)
            throws IOException, SpecException, LayerSetNotFoundException {
        String id = id(ref);
        Drop d = open.get(id);
        if (d != null) {
            return d;
        }
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir)) {
            assemble(dir, layers.dir(ref.getLayerSet()), ref.getSpecYaml().toByteArray());
        }
        return load(id, dir);
    }

    /** The drop of {@code ref} if the node has run it. */
    synchronized Optional<Drop> existing(SpecRef ref) throws IOException, SpecException {
        String id = id(ref);
        Drop d = open.get(id);
        if (d != null) {
            return Optional.of(d);
        }
        Path dir = root.resolve(id);
        return Files.isDirectory(dir) ? Optional.of(load(id, dir)) : Optional.empty();
    }

    private Drop load(String id, Path dir) throws SpecException {
        CollectionSpec spec = SpecLoader.load(dir.resolve(SpecLoader.FILE_NAME));
        Drop d = new Drop(id, spec, DropStore.open(spec.outDir().resolve("drop.db")));
        open.put(id, d);
        return d;
    }

    private void assemble(Path dir, Path layerSet, byte[] yaml) throws IOException {
        Path tmp = root.resolve(dir.getFileName() + PARTIAL + UUID.randomUUID());
        try {
            try (Stream<Path> files = Files.walk(layerSet)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path target = tmp.resolve(layerSet.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    try {
                        Files.createLink(target, f);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Files.createDirectories(tmp);
            Files.write(tmp.resolve(SpecLoader.FILE_NAME), yaml);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                deleteTree(tmp); // assembled meanwhile: the same bytes
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public synchronized void close() {
        open.values().forEach(d -> d.store.close());
        open.clear();
    }
}
