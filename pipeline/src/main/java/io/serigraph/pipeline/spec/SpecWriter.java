package io.serigraph.pipeline.spec;

import io.serigraph.engine.png.PngInfo;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the {@code serigraph.yaml} text for a HashLips-style layers folder (one subfolder per
 * layer, {@code <Trait>#<weight>.png} files in each): what {@code serigraph init DIR --from LAYERS}
 * saves as {@code DIR/serigraph.yaml}.
 *
 * <ul>
 *   <li>Layers, bottom to top, are the non-hidden subfolders of {@code LAYERS} in code point order
 *       of their names ({@code 01 Background}, {@code 02 Body}, ...), or exactly the order given.
 *       With an order, every entry must name a folder (by folder name or layer name) and every
 *       folder must be named: a folder left out is an error, not appended, since guessing where it
 *       goes in the stack would draw it in the wrong place.
 *   <li>A layer's {@code name} is its folder name without a leading number and separator ({@code 01
 *       Background}, {@code 02_Body}, {@code 3-Eyes}, {@code 04. Hat} give {@code Background},
 *       {@code Body}, {@code Eyes}, {@code Hat}); when two folders would get the same name, both
 *       keep their folder names. {@code dir} is the folder itself, relative to {@code DIR} when
 *       possible, with {@code /} separators.
 *   <li>The canvas is the size of the first PNG (bottom layer, first trait); every other file must
 *       match it.
 *   <li>{@code size} defaults to {@code min(1000, unique combinations)}.
 * </ul>
 *
 * The text is deterministic for the same folders and options, every string is double-quoted and
 * escaped, and it is checked by loading it back with {@link SpecLoader#parse} before it is
 * returned. Nothing is written to disk.
 */
public final class SpecWriter {
    /** The default number of tokens, lowered to the number of unique combinations when fewer. */
    public static final int DEFAULT_SIZE = 1000;

    private static final Pattern NUMBER_PREFIX = Pattern.compile("^[0-9]+[ _.\\-]+(?=\\S)");

    /**
     * What {@code serigraph init} was asked for.
     *
     * @param seed required, non-empty; written as a quoted string and kept exactly
     * @param size {@code null} for the default
     * @param order layer folder or layer names, bottom to top; {@code null} or empty for folder
     *     name order
     * @param name collection name; {@code null} for the spec folder's name
     * @param symbol collection symbol; {@code null} for the name's ASCII letters and digits in
     *     upper case (at most 8; {@code SGRF} when none)
     */
    public record Options(
            String seed, Integer size, List<String> order, String name, String symbol) {
        public Options {
            if (seed == null || seed.isEmpty()) {
                throw new IllegalArgumentException("a seed is required");
            }
            order = order == null ? List.of() : List.copyOf(order);
        }

        /** Options with a seed and everything else defaulted. */
        public static Options withSeed(String seed) {
            return new Options(seed, null, null, null, null);
        }

        public Options optSize(int size) {
            return new Options(seed, size, order, name, symbol);
        }

        public Options optOrder(List<String> order) {
            return new Options(seed, size, order, name, symbol);
        }

        public Options optName(String name) {
            return new Options(seed, size, order, name, symbol);
        }

        public Options optSymbol(String symbol) {
            return new Options(seed, size, order, name, symbol);
        }
    }

    private record Folder(String folderName, Path path, String layerName) {}

    private SpecWriter() {}

    /**
     * The spec text for the layers under {@code layersRoot}, to be saved as {@code
     * specDir/serigraph.yaml}.
     *
     * @throws SpecException when the layers cannot make a valid spec; its file is {@code
     *     layersRoot}, its field the layer folder (or {@code order} / {@code size}), its line 0
     */
    public static String write(Path specDir, Path layersRoot, Options options)
            throws SpecException {
        Objects.requireNonNull(options, "options");
        Path specDirAbs = specDir.toAbsolutePath().normalize();
        Path rootAbs = layersRoot.toAbsolutePath().normalize();
        Problems problems = new Problems();
        if (!Files.isDirectory(rootAbs)) {
            throw new SpecException(
                    layersRoot,
                    0,
                    "",
                    "the layers folder does not exist or is not a folder (give the folder that"
                            + " holds one subfolder per layer)");
        }
        List<Folder> folders = ordered(folders(layersRoot, rootAbs), options.order(), layersRoot);

        List<LayerSpec> layers = new ArrayList<>();
        PngInfo canvas = null;
        String canvasFile = null;
        for (Folder f : folders) {
            LayerScanner.Result scan = LayerScanner.scan(f.path(), f.folderName());
            if (scan.folderProblem() != null) {
                problems.add(0, f.folderName(), scan.folderProblem());
                continue;
            }
            scan.fileProblems().forEach(p -> problems.add(0, f.folderName(), p));
            for (LayerScanner.Scanned s : scan.traits()) {
                String shown =
                        LayerScanner.show(
                                f.folderName(), s.trait().file().getFileName().toString());
                if (canvas == null) {
                    canvas = s.info();
                    canvasFile = shown;
                } else if (s.info().width() != canvas.width()
                        || s.info().height() != canvas.height()) {
                    problems.add(
                            0,
                            f.folderName(),
                            "file '"
                                    + shown
                                    + "' is "
                                    + s.info().width()
                                    + "x"
                                    + s.info().height()
                                    + " but '"
                                    + canvasFile
                                    + "', which sets the canvas, is "
                                    + canvas.width()
                                    + "x"
                                    + canvas.height()
                                    + " (every layer file must be the same size: resize it)");
                }
            }
            if (scan.ok()
                    && scan.traits().stream().allMatch(s -> s.trait().weight().signum() == 0)) {
                problems.add(
                        0,
                        f.folderName(),
                        "every trait has weight 0 (give a trait a positive weight, e.g."
                                + " <Trait>#1.png)");
            }
            layers.add(
                    new LayerSpec(
                            f.layerName(),
                            f.path(),
                            scan.traits().stream().map(LayerScanner.Scanned::trait).toList(),
                            null,
                            0));
        }
        problems.throwIfAny(layersRoot);

        BigInteger combinations = SpecLoader.combinations(layers);
        int size;
        if (options.size() == null) {
            size = combinations.min(BigInteger.valueOf(DEFAULT_SIZE)).intValue();
        } else if (options.size() <= 0) {
            throw new SpecException(
                    layersRoot, 0, "size", "size must be positive, was " + options.size());
        } else if (combinations.compareTo(BigInteger.valueOf(options.size())) < 0) {
            throw new SpecException(
                    layersRoot,
                    0,
                    "size",
                    "size "
                            + options.size()
                            + " is more than the "
                            + combinations
                            + " unique trait combinations these layers allow (ask for at most "
                            + combinations
                            + ", or add traits)");
        } else {
            size = options.size();
        }

        String name = options.name() != null ? options.name() : defaultName(specDirAbs);
        String symbol = options.symbol() != null ? options.symbol() : defaultSymbol(name);
        String text = yaml(name, symbol, size, options.seed(), canvas, folders, specDirAbs);
        // The contract: what init writes, load reads. A failure here is a bug in this class.
        SpecLoader.parse(
                specDirAbs.resolve(SpecLoader.FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
        return text;
    }

    /** The layer name for a folder name: without a leading number and separator. */
    public static String layerName(String folderName) {
        Matcher m = NUMBER_PREFIX.matcher(folderName);
        return m.find() ? folderName.substring(m.end()) : folderName;
    }

    private static List<Folder> folders(Path layersRoot, Path rootAbs) throws SpecException {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(rootAbs)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p)) {
                    dirs.add(p);
                }
            }
        } catch (IOException e) {
            throw new SpecException(layersRoot, 0, "", "cannot read the layers folder: " + e);
        }
        if (dirs.isEmpty()) {
            throw new SpecException(
                    layersRoot,
                    0,
                    "",
                    "no layer folders found (put one subfolder per layer in it, e.g. '01"
                            + " Background/', each holding <Trait>#<weight>.png files)");
        }
        List<String> names = new ArrayList<>();
        for (Path d : dirs) {
            names.add(d.getFileName().toString());
        }
        names.sort(CodePointOrder.INSTANCE);
        Map<String, Integer> count = new HashMap<>();
        for (String n : names) {
            count.merge(layerName(n), 1, Integer::sum);
        }
        List<Folder> folders = new ArrayList<>();
        for (String n : names) {
            String stripped = layerName(n);
            String layer =
                    Normalizer.normalize(
                            count.get(stripped) > 1 ? n : stripped, Normalizer.Form.NFC);
            folders.add(new Folder(n, rootAbs.resolve(n), layer));
        }
        return folders;
    }

    private static List<Folder> ordered(List<Folder> folders, List<String> order, Path layersRoot)
            throws SpecException {
        if (order.isEmpty()) {
            return folders;
        }
        Map<String, Folder> byName = new LinkedHashMap<>();
        for (Folder f : folders) {
            byName.putIfAbsent(f.layerName(), f);
            byName.putIfAbsent(Normalizer.normalize(f.folderName(), Normalizer.Form.NFC), f);
        }
        List<Folder> result = new ArrayList<>();
        Set<Folder> used = new HashSet<>();
        for (String entry : order) {
            String key = Normalizer.normalize(entry.strip(), Normalizer.Form.NFC);
            Folder f = byName.get(key);
            if (f == null) {
                throw new SpecException(
                        layersRoot,
                        0,
                        "order",
                        "'"
                                + entry
                                + "' is not a layer folder here (the layers are: "
                                + String.join(
                                        ", ", folders.stream().map(Folder::layerName).toList())
                                + ")");
            }
            if (!used.add(f)) {
                throw new SpecException(
                        layersRoot,
                        0,
                        "order",
                        "layer '" + f.layerName() + "' is named twice (name each layer once)");
            }
            result.add(f);
        }
        List<String> left = new ArrayList<>();
        for (Folder f : folders) {
            if (!used.contains(f)) {
                left.add(f.folderName());
            }
        }
        if (!left.isEmpty()) {
            throw new SpecException(
                    layersRoot,
                    0,
                    "order",
                    "the order leaves out "
                            + String.join(", ", left)
                            + " (name every layer folder, bottom to top, or move the folder out)");
        }
        return Collections.unmodifiableList(result);
    }

    private static String defaultName(Path specDir) {
        Path n = specDir.getFileName();
        return n == null || n.toString().isBlank() ? "Collection" : n.toString();
    }

    private static String defaultSymbol(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toUpperCase(Locale.ROOT).toCharArray()) {
            if (((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) && sb.length() < 8) {
                sb.append(c);
            }
        }
        return sb.length() == 0 ? "SGRF" : sb.toString();
    }

    private static String yaml(
            String name,
            String symbol,
            int size,
            String seed,
            PngInfo canvas,
            List<Folder> folders,
            Path specDir) {
        StringBuilder y = new StringBuilder();
        y.append("# Serigraph collection spec, made by `serigraph init`. Format: docs/spec.md\n");
        y.append("name: ").append(quote(name)).append('\n');
        y.append("symbol: ").append(quote(symbol)).append('\n');
        y.append("description: \"\"\n");
        y.append("size: ").append(size).append('\n');
        y.append("seed: ").append(quote(seed)).append('\n');
        y.append("start_id: 1\n");
        y.append("canvas:\n");
        y.append("  width: ").append(canvas.width()).append('\n');
        y.append("  height: ").append(canvas.height()).append('\n');
        y.append("layers: # bottom to top\n");
        for (Folder f : folders) {
            y.append("  - name: ").append(quote(f.layerName())).append('\n');
            y.append("    dir: ").append(quote(relative(specDir, f.path()))).append('\n');
        }
        y.append("output:\n");
        y.append("  format: png\n");
        y.append("  width: ").append(canvas.width()).append('\n');
        y.append("  height: ").append(canvas.height()).append('\n');
        y.append("  resample: lanczos3\n");
        y.append("  compression: default\n");
        y.append("metadata:\n");
        y.append("  name: ").append(quote(name + " #{id}")).append('\n');
        y.append("  image_base_uri: \"\"\n");
        return y.toString();
    }

    /** {@code dir} relative to {@code base} with {@code /} separators, or absolute. */
    static String relative(Path base, Path dir) {
        Path rel;
        try {
            rel = base.relativize(dir);
        } catch (IllegalArgumentException e) {
            return dir.toString();
        }
        if (rel.toString().isEmpty()) {
            return ".";
        }
        List<String> parts = new ArrayList<>();
        for (Path p : rel) {
            parts.add(p.toString());
        }
        return String.join("/", parts);
    }

    /**
     * A YAML double-quoted scalar that reads back as exactly {@code s}: backslash, quote and every
     * character YAML does not allow raw (controls, line and paragraph separators, BOM, U+FFFE and
     * U+FFFF) are escaped.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20
                            || (c >= 0x7F && c <= 0x9F)
                            || c == '\u2028'
                            || c == '\u2029'
                            || c == '\uFEFF'
                            || c == '\uFFFE'
                            || c == '\uFFFF'
                            || (Character.isSurrogate(c) && !pairedAt(s, i))) {
                        sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
