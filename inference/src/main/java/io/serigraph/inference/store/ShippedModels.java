package io.serigraph.inference.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The tiny CLIP model and aesthetic head shipped inside this jar (the random-weight test fixtures,
 * 1.7 MB): the default scoring model until a real one is installed. They measure nothing about real
 * images; they let every command and check run end to end on any machine.
 */
public final class ShippedModels {
    /** The shipped CLIP family (entries {@code clip-tiny-image/1} and {@code clip-tiny-text/1}). */
    public static final String CLIP_FAMILY = "clip-tiny";

    public static final String VERSION = "1";

    private static final String RESOURCES = "/io/serigraph/inference/shipped-models/";

    /**
     * Each shipped entry and its files, the manifest last (a directory without one is no entry).
     */
    private static final List<List<String>> ENTRIES =
            List.of(
                    List.of("clip-tiny-image", "model.pt", "model.yaml"),
                    List.of("clip-tiny-text", "model.pt", "bpe_simple_vocab.txt.gz", "model.yaml"),
                    List.of("aesthetic-tiny", "model.pt", "model.yaml"));

    private ShippedModels() {}

    /**
     * Writes the shipped entries missing from the store at {@code root} (creating it). An entry
     * already there is left alone (its hashes are checked when it is loaded). Each entry appears
     * whole or not at all: it is written beside its place and moved in.
     *
     * @return how many entries were written
     */
    public static int install(Path root) throws ModelStoreException {
        int written = 0;
        for (List<String> entry : ENTRIES) {
            Path target = root.resolve(entry.get(0)).resolve(VERSION);
            if (Files.isRegularFile(target.resolve(ModelManifest.FILE_NAME))) {
                continue;
            }
            Path tmp = null;
            try {
                Files.createDirectories(target.getParent());
                tmp = Files.createTempDirectory(target.getParent(), "." + VERSION + ".tmp");
                for (String file : entry.subList(1, entry.size())) {
                    String resource = RESOURCES + entry.get(0) + "/" + VERSION + "/" + file;
                    try (InputStream in = ShippedModels.class.getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new ModelStoreException(
                                    target,
                                    "the shipped model file "
                                            + resource
                                            + " is missing from the jar");
                        }
                        Files.copy(in, tmp.resolve(file));
                    }
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
                tmp = null;
                written++;
            } catch (FileAlreadyExistsException e) {
                // Another process installed it at the same time.
            } catch (IOException e) {
                throw new ModelStoreException(
                        target, "cannot install the shipped model here: " + e, e);
            } finally {
                deleteQuietly(tmp);
            }
        }
        return written;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Left behind: a hidden temporary the store never lists.
        }
    }
}
