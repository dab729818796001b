package io.serigraph.pipeline.spec;

import com.fasterxml.jackson.core.JsonToken;
import io.serigraph.engine.resample.ResampleFilter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads and validates a collection spec ({@code serigraph.yaml}, format in {@code docs/spec.md})
 * and scans its layer folders into a {@link CollectionSpec}.
 *
 * <p>Every problem found is reported in one {@link SpecException}, sorted by line, each naming the
 * file, line and field and saying what to do. Loading reads the spec and the first bytes of each
 * layer file; it writes nothing.
 *
 * <p>To add a key: read it in the method for its block below (one call on the block's {@link
 * MapReader}); the reader then accepts it, and every key not read stays an "unknown key" error.
 */
public final class SpecLoader {
    /** The spec's usual file name. */
    public static final String FILE_NAME = "serigraph.yaml";

    private static final Pattern COLOUR = Pattern.compile("#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})");
    private static final Pattern PLAIN_INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    private final Path file;
    private final Path baseDir;
    private final Problems problems = new Problems();

    private SpecLoader(Path file) {
        this.file = file;
        this.baseDir = file.toAbsolutePath().normalize().getParent();
    }

    /**
     * Loads a spec file, or {@code <folder>/serigraph.yaml} when given a folder.
     *
     * @throws SpecException naming file, line and field of every problem found; its {@link
     *     SpecException#file()} is {@code file} as given
     */
    public static CollectionSpec load(Path file) throws SpecException {
        if (Files.isDirectory(file)) {
            file = file.resolve(FILE_NAME);
        }
        if (!Files.exists(file)) {
            throw new SpecException(
                    file,
                    0,
                    "",
                    "the spec file does not exist (fix the path, or create one with `serigraph"
                            + " init`)");
        }
        byte[] yaml;
        try {
            yaml = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpecException(file, 0, "", "cannot read the spec file: " + e);
        }
        return parse(file, yaml);
    }

    /**
     * Validates spec text as if it were the content of {@code file}: relative layer folders resolve
     * against {@code file}'s folder, and errors name {@code file}. The file itself is not read.
     */
    public static CollectionSpec parse(Path file, byte[] yaml) throws SpecException {
        return new SpecLoader(file).run(yaml);
    }

    private CollectionSpec run(byte[] yaml) throws SpecException {
        YamlNode root = YamlTree.parse(yaml, problems);
        if (root == null) {
            problems.throwIfAny(file);
        }
        MapReader top = MapReader.of(root, "", problems, "name: Moths, one key per line");
        if (top == null) {
            problems.throwIfAny(file);
        }

        String name = top.requiredString("name", "name: Moths");
        String symbol = top.requiredString("symbol", "symbol: MOTH");
        String description = top.optionalString("description", "", true, "description: \"...\"");
        Long size = top.requiredInteger("size", 1, Integer.MAX_VALUE, "size: 1000");
        String seed = seed(top.required("seed", "seed: 42"));
        Long startId = top.optionalInteger("start_id", 0, Long.MAX_VALUE, 1, "start_id: 1");
        Canvas canvas = canvas(top.requiredMapping("canvas", "canvas: {width: 512, height: 512}"));
        List<LayerSpec> layers =
                layers(
                        top.requiredList("layers", "layers: [{name: Body, dir: layers/Body}]"),
                        canvas);
        OutputSpec output =
                output(top.optionalMapping("output", "output: {format: png, width: 512}"), canvas);
        MetadataSpec metadata =
                metadata(
                        top.optionalMapping("metadata", "metadata: {name: \"Moth #{id}\"}"),
                        name,
                        description);
        QcSpec qc = qc(top.optionalMapping("qc", "qc: {blank: {threshold: 4, tier: review}}"));
        top.finish();

        if (size != null && startId != null) {
            BigInteger last =
                    BigInteger.valueOf(startId)
                            .add(BigInteger.valueOf(size))
                            .subtract(BigInteger.ONE);
            if (last.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
                problems.add(
                        top.valueLine("start_id"),
                        "start_id",
                        "start_id + size - 1 = "
                                + last
                                + " is over the largest token id, "
                                + Long.MAX_VALUE
                                + " (lower start_id or size)");
            }
        }
        if (size != null && layers != null) {
            BigInteger combinations = combinations(layers);
            if (combinations.compareTo(BigInteger.valueOf(size)) < 0) {
                problems.add(
                        top.valueLine("size"),
                        "size",
                        "size "
                                + size
                                + " is more than the "
                                + combinations
                                + " unique trait combinations the layers allow (lower size to at"
                                + " most "
                                + combinations
                                + ", or add traits or layers)");
            }
        }
        problems.throwIfAny(file);
        return new CollectionSpec(
                file.toAbsolutePath().normalize(),
                name,
                symbol,
                description,
                size.intValue(),
                seed,
                startId,
                canvas,
                layers,
                output,
                metadata,
                qc);
    }

    /**
     * The number of distinct tokens the layers allow: the product over layers of the traits with a
     * positive weight, plus one for "no trait" when the layer is optional.
     */
    public static BigInteger combinations(List<LayerSpec> layers) {
        BigInteger n = BigInteger.ONE;
        for (LayerSpec layer : layers) {
            long choices = layer.traits().stream().filter(t -> t.weight().signum() > 0).count();
            if (layer.optional()) {
                choices++;
            }
            n = n.multiply(BigInteger.valueOf(choices));
        }
        return n;
    }

    private String seed(YamlNode n) {
        if (n == null) {
            return null;
        }
        // The seed is secret: no message here repeats its value.
        if (n instanceof YamlNode.Scalar s) {
            if (s.token() == JsonToken.VALUE_NUMBER_INT) {
                if (PLAIN_INTEGER.matcher(s.text()).matches()) {
                    return s.integer().toString();
                }
                problems.add(
                        n.line(),
                        "seed",
                        "a whole-number seed must be written in plain decimal digits, without"
                                + " leading zeros, signs or underscores (YAML would change its"
                                + " value; write it plainly or quote it to keep it as text)");
                return null;
            }
            if (s.token() == JsonToken.VALUE_STRING) {
                if (s.text().isEmpty()) {
                    problems.add(n.line(), "seed", "must not be empty (write e.g. seed: 42)");
                    return null;
                }
                return s.text();
            }
        }
        String kind =
                n instanceof YamlNode.Scalar s
                        ? switch (s.token()) {
                            case VALUE_NUMBER_FLOAT -> "a decimal number";
                            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                            default -> "no value";
                        }
                        : n.describe();
        problems.add(
                n.line(),
                "seed",
                "must be a whole number or text, got "
                        + kind
                        + " (write e.g. seed: 42, or quote it: seed: \"my seed\")");
        return null;
    }

    private Canvas canvas(MapReader r) {
        if (r == null) {
            return null;
        }
        Long width = r.requiredInteger("width", 1, Integer.MAX_VALUE, "width: 512");
        Long height = r.requiredInteger("height", 1, Integer.MAX_VALUE, "height: 512");
        YamlNode bg = r.optional("background");
        Integer background = null;
        boolean bgOk = true;
        if (bg != null) {
            background = colour(bg, r.field("background"));
            bgOk = background != null;
        }
        r.finish();
        return width == null || height == null || !bgOk
                ? null
                : new Canvas(width.intValue(), height.intValue(), background);
    }

    private Integer colour(YamlNode n, String field) {
        String example = "background: \"#1d2b53\"";
        if (n instanceof YamlNode.Scalar s && s.token() == JsonToken.VALUE_STRING) {
            if (s.text().isEmpty()) {
                problems.add(
                        n.line(),
                        field,
                        "has no value; '#' starts a YAML comment, so quote the colour (write e.g. "
                                + example
                                + ")");
                return null;
            }
            if (COLOUR.matcher(s.text()).matches()) {
                String hex = s.text().substring(1);
                long rgba = Long.parseLong(hex.length() == 6 ? hex + "ff" : hex, 16);
                return (int) rgba;
            }
        }
        problems.add(
                n.line(),
                field,
                "must be a colour #RRGGBB or #RRGGBBAA in hex, got "
                        + n.describe()
                        + " (write e.g. "
                        + example
                        + ")");
        return null;
    }

    private List<LayerSpec> layers(List<YamlNode> items, Canvas canvas) {
        if (items == null) {
            return null;
        }
        List<LayerSpec> layers = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            LayerSpec layer = layer(items.get(i), "layers[" + i + "]", canvas, names, i);
            ok &= layer != null;
            layers.add(layer);
        }
        return ok ? layers : null;
    }

    private LayerSpec layer(
            YamlNode item, String path, Canvas canvas, Map<String, Integer> names, int index) {
        MapReader r = MapReader.of(item, path, problems, "- {name: Hat, dir: layers/Hat}");
        if (r == null) {
            return null;
        }
        String name = r.requiredString("name", "name: Hat");
        YamlNode dirNode = r.required("dir", "dir: layers/Hat");
        String dirText =
                dirNode == null ? null : r.text(dirNode, r.field("dir"), false, "dir: layers/Hat");
        YamlNode noneNode = r.optional("none");
        BigDecimal none =
                noneNode == null ? null : r.decimal(noneNode, r.field("none"), "none: 0.5");
        boolean ok = name != null && dirText != null && (noneNode == null || none != null);
        r.finish();

        if (name != null) {
            Integer first = names.putIfAbsent(name, index);
            if (first != null) {
                problems.add(
                        r.valueLine("name"),
                        r.field("name"),
                        "layer name '"
                                + name
                                + "' is already used by layers["
                                + first
                                + "] (give each layer a unique name)");
                ok = false;
            }
        }
        if (dirText == null) {
            return null;
        }
        Path dir;
        try {
            dir = baseDir.resolve(dirText).normalize();
        } catch (InvalidPathException e) {
            problems.add(
                    dirNode.line(),
                    r.field("dir"),
                    "'" + dirText + "' is not a valid path (" + e.getReason() + ")");
            return null;
        }
        LayerScanner.Result scan = LayerScanner.scan(dir, dirText);
        if (scan.folderProblem() != null) {
            problems.add(dirNode.line(), r.field("dir"), scan.folderProblem());
            return null;
        }
        int line = r.line();
        for (String p : scan.fileProblems()) {
            problems.add(line, r.field("dir"), p);
        }
        ok &= scan.ok();
        if (canvas != null) {
            for (LayerScanner.Scanned s : scan.traits()) {
                if (s.info().width() != canvas.width() || s.info().height() != canvas.height()) {
                    problems.add(
                            line,
                            r.field("dir"),
                            "file '"
                                    + LayerScanner.show(
                                            dirText, s.trait().file().getFileName().toString())
                                    + "' is "
                                    + s.info().width()
                                    + "x"
                                    + s.info().height()
                                    + " but the canvas is "
                                    + canvas.width()
                                    + "x"
                                    + canvas.height()
                                    + " (every layer file must be the canvas size: resize the"
                                    + " file or change canvas)");
                    ok = false;
                }
            }
        }
        if (scan.ok()
                && scan.traits().stream().allMatch(s -> s.trait().weight().signum() == 0)
                && (none == null || none.signum() == 0)) {
            problems.add(
                    line,
                    r.field("dir"),
                    "every trait in folder '"
                            + dirText
                            + "' has weight 0, so no trait can ever be picked (give a trait a"
                            + " positive weight, e.g. rename it <Trait>#1.png, or set none: to make"
                            + " the layer optional)");
            ok = false;
        }
        if (!ok) {
            return null;
        }
        return new LayerSpec(
                name,
                dir,
                scan.traits().stream().map(LayerScanner.Scanned::trait).toList(),
                none,
                line);
    }

    private OutputSpec output(MapReader r, Canvas canvas) {
        int defaultWidth = canvas == null ? 1 : canvas.width();
        int defaultHeight = canvas == null ? 1 : canvas.height();
        if (r == null) {
            return new OutputSpec("png", defaultWidth, defaultHeight, ResampleFilter.LANCZOS3, 6);
        }
        String format = r.optionalString("format", "png", false, "format: png");
        if (format != null && !format.equals("png")) {
            problems.add(
                    r.valueLine("format"),
                    r.field("format"),
                    "unknown format '" + format + "' (supported: png)");
            format = null;
        }
        Long width = r.optionalInteger("width", 1, Integer.MAX_VALUE, defaultWidth, "width: 512");
        Long height =
                r.optionalInteger("height", 1, Integer.MAX_VALUE, defaultHeight, "height: 512");
        String resampleName = r.optionalString("resample", "lanczos3", false, "resample: lanczos3");
        ResampleFilter resample = null;
        if (resampleName != null) {
            resample = ResampleFilter.fromSpecName(resampleName);
            if (resample == null) {
                problems.add(
                        r.valueLine("resample"),
                        r.field("resample"),
                        "unknown resample filter '"
                                + resampleName
                                + "' (use one of: "
                                + Arrays.stream(ResampleFilter.values())
                                        .map(ResampleFilter::specName)
                                        .collect(Collectors.joining(", "))
                                + ")");
            }
        }
        Long compression = r.optionalInteger("compression", 0, 9, 6, "compression: 6");
        r.finish();
        if (format == null
                || width == null
                || height == null
                || resample == null
                || compression == null) {
            return null;
        }
        return new OutputSpec(
                format, width.intValue(), height.intValue(), resample, compression.intValue());
    }

    private MetadataSpec metadata(MapReader r, String name, String description) {
        String defaultName = (name == null ? "" : name) + " #{id}";
        if (r == null) {
            return new MetadataSpec(defaultName, description, null, "");
        }
        String nameTemplate = r.optionalString("name", defaultName, false, "name: \"Moth #{id}\"");
        String desc = r.optionalString("description", description, true, "description: \"...\"");
        String externalUrl =
                r.optionalString(
                        "external_url", null, true, "external_url: \"https://example.com/{id}\"");
        String imageBaseUri =
                r.optionalString("image_base_uri", "", true, "image_base_uri: \"ipfs://CID/\"");
        r.finish();
        return new MetadataSpec(
                nameTemplate,
                desc,
                externalUrl == null || externalUrl.isEmpty() ? null : externalUrl,
                imageBaseUri);
    }

    private QcSpec qc(MapReader r) {
        if (r == null) {
            return QcSpec.defaults();
        }
        Map<String, QcSetting> settings = new HashMap<>();
        boolean ok = true;
        for (String check : QcSpec.CHECKS) {
            MapReader c = r.optionalMapping(check, check + ": {threshold: 0.01, tier: review}");
            if (c == null) {
                ok &= r.optional(check) == null;
                continue;
            }
            YamlNode thresholdNode = c.optional("threshold");
            BigDecimal threshold =
                    thresholdNode == null
                            ? null
                            : c.decimal(thresholdNode, c.field("threshold"), "threshold: 0.01");
            String tierText = c.optionalString("tier", null, false, "tier: review");
            QcTier tier = tierText == null ? null : QcTier.fromSpecName(tierText);
            if (tierText != null && tier == null) {
                problems.add(
                        c.valueLine("tier"),
                        c.field("tier"),
                        "unknown tier '" + tierText + "' (use one of: fail, review, off)");
            }
            c.finish();
            if ((thresholdNode != null && threshold == null)
                    || (tierText != null && tier == null)) {
                ok = false;
                continue;
            }
            settings.put(
                    check, new QcSetting(threshold == null ? null : threshold.doubleValue(), tier));
        }
        r.finish();
        return ok ? new QcSpec(settings) : null;
    }
}
