package io.serigraph.pipeline.spec;

import io.serigraph.engine.png.PngDecoder;
import io.serigraph.engine.png.PngFormatException;
import io.serigraph.engine.png.PngInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans one HashLips layer folder: every non-hidden {@code *.png} file (any case) directly in it is
 * a trait (see {@link HashLipsName}); hidden files, other files and subfolders are ignored. Reads
 * only the first 33 bytes of each file (signature and IHDR) to check it is a PNG and learn its
 * size. Writes nothing.
 */
final class LayerScanner {
    /** Signature (8) + IHDR length and type (8) + IHDR data (13) + CRC (4). */
    private static final int HEADER_BYTES = 33;

    private static final PngDecoder DECODER = new PngDecoder();

    /** A trait with its PNG header. */
    record Scanned(TraitSpec trait, PngInfo info) {}

    /**
     * What the scan found.
     *
     * @param traits sorted by name in code point order; only the files that passed
     * @param folderProblem what is wrong with the folder as a whole (missing, not a folder,
     *     unreadable, no PNG files), or {@code null}
     * @param fileProblems one message per bad file, each naming the file
     */
    record Result(List<Scanned> traits, String folderProblem, List<String> fileProblems) {
        boolean ok() {
            return folderProblem == null && fileProblems.isEmpty();
        }
    }

    private LayerScanner() {}

    /**
     * Scans {@code dir}.
     *
     * @param label how to show the folder in messages (as written in the spec)
     */
    static Result scan(Path dir, String label) {
        if (!Files.exists(dir)) {
            return folder("folder '" + label + "' does not exist (create it or fix the path)");
        }
        if (!Files.isDirectory(dir)) {
            return folder(
                    "'" + label + "' is a file, not a folder (point dir at the layer's folder)");
        }
        List<Path> files = new ArrayList<>();
        int ignored = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (HashLipsName.isLayerFile(name) && Files.isRegularFile(p)) {
                    files.add(p);
                } else {
                    ignored++;
                }
            }
        } catch (IOException e) {
            return folder("cannot read folder '" + label + "': " + e + " (check its permissions)");
        }
        if (files.isEmpty()) {
            return folder(
                    "folder '"
                            + label
                            + "' has no PNG files"
                            + (ignored == 1 ? " (1 other entry ignored)" : "")
                            + (ignored > 1 ? " (" + ignored + " other entries ignored)" : "")
                            + " (add one file per trait, named <Trait>#<weight>.png)");
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString(), CodePointOrder.INSTANCE));

        List<Scanned> traits = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Path> byTrait = new HashMap<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String shown = show(label, fileName);
            HashLipsName parsed;
            try {
                parsed = HashLipsName.parse(fileName);
            } catch (IllegalArgumentException e) {
                problems.add(
                        "file '"
                                + shown
                                + "': "
                                + e.getMessage()
                                + " (rename it <Trait>#<weight>.png)");
                continue;
            }
            Path earlier = byTrait.putIfAbsent(parsed.trait(), file);
            if (earlier != null) {
                problems.add(
                        "files '"
                                + show(label, earlier.getFileName().toString())
                                + "' and '"
                                + shown
                                + "' both give trait '"
                                + parsed.trait()
                                + "' (rename or remove one of them)");
                continue;
            }
            PngInfo info;
            try {
                info = DECODER.readInfo(head(file));
            } catch (PngFormatException e) {
                problems.add(
                        "file '"
                                + shown
                                + "' is not a usable PNG: "
                                + e.getMessage()
                                + " (re-export it as PNG or remove it)");
                continue;
            } catch (IOException e) {
                problems.add("cannot read file '" + shown + "': " + e + " (check its permissions)");
                continue;
            }
            traits.add(
                    new Scanned(
                            new TraitSpec(parsed.trait(), parsed.weight(), file.toAbsolutePath()),
                            info));
        }
        traits.sort(Comparator.comparing(s -> s.trait().name(), CodePointOrder.INSTANCE));
        return new Result(traits, null, problems);
    }

    static String show(String label, String fileName) {
        return label.endsWith("/") ? label + fileName : label + "/" + fileName;
    }

    private static Result folder(String problem) {
        return new Result(List.of(), problem, List.of());
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEADER_BYTES);
        }
    }
}
