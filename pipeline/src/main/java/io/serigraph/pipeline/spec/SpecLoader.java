package io.serigraph.pipeline.spec;

import com.fasterxml.jackson.core.JsonToken;
import io.serigraph.engine.png.PngCompression;
import io.serigraph.engine.resample.ResampleFilter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

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
        String commitment = seedCommitment(top, seed);
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
        YamlNode rulesNode = top.optional("rules");
        YamlNode quotasNode = top.optional("quotas");
        YamlNode onesNode = top.optional("one_of_ones");
        List<RuleSpec> rules = List.of();
        List<QuotaSpec> quotas = List.of();
        List<OneOfOneSpec> ones = List.of();
        boolean constraintsOk = true;
        if (layers != null) {
            int before = problems.size();
            rules = rulesNode == null ? List.of() : rules(rulesNode, layers);
            quotas =
                    quotasNode == null || size == null
                            ? List.of()
                            : quotas(quotasNode, layers, size.intValue());
            ones = onesNode == null ? List.of() : oneOfOnes(onesNode, layers);
            constraintsOk = problems.size() == before;
        }
        PublishSpec publish =
                publish(top.optionalMapping("publish", "publish: {image_uri: directory}"));
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
        boolean constrained = !rules.isEmpty() || !quotas.isEmpty() || !ones.isEmpty();
        if (size != null && layers != null && constrained && constraintsOk && problems.isEmpty()) {
            for (SpecProblem p :
                    Feasibility.problems(
                            layers, size.intValue(), top.valueLine("size"), rules, quotas, ones)) {
                problems.add(p.line(), p.field(), p.message());
            }
        }
        if (size != null && layers != null && !constrained) {
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
                rules,
                quotas,
                ones,
                commitment,
                publish,
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

    /**
     * The number of distinct tokens the layers allow under {@code rules}: the combinations of
     * {@link #combinations(List)} that break no rule, counted exactly by {@link RuleSet#count()} (a
     * dynamic program over the layers, never by enumeration).
     */
    public static BigInteger combinations(List<LayerSpec> layers, List<RuleSpec> rules) {
        return rules.isEmpty() ? combinations(layers) : RuleSet.of(layers, rules).count();
    }

    private static final Pattern PERCENT = Pattern.compile("([0-9]+(\\.[0-9]+)?)\\s*%");

    /** A {@code Layer:Trait} reference, or {@code null} with a problem. */
    private TraitRef ref(YamlNode n, String field, List<LayerSpec> layers) {
        String example = "Hat:Crown";
        if (!(n instanceof YamlNode.Scalar s) || s.isNull() || s.text().isBlank()) {
            problems.add(
                    n.line(),
                    field,
                    "must be a trait reference Layer:Trait, got "
                            + n.describe()
                            + " (write e.g. "
                            + example
                            + ")");
            return null;
        }
        String text = java.text.Normalizer.normalize(s.text(), java.text.Normalizer.Form.NFC);
        String layerOnly = null;
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec layer = layers.get(l);
            if (!text.startsWith(layer.name() + ":")) {
                continue;
            }
            String trait = text.substring(layer.name().length() + 1);
            for (int t = 0; t < layer.traits().size(); t++) {
                if (layer.traits().get(t).name().equals(trait)) {
                    return new TraitRef(l, t, text);
                }
            }
            layerOnly =
                    "layer '"
                            + layer.name()
                            + "' has no trait '"
                            + trait
                            + "' (its traits: "
                            + layer.traits().stream()
                                    .map(TraitSpec::name)
                                    .collect(Collectors.joining(", "))
                            + ")";
        }
        problems.add(
                n.line(),
                field,
                "'"
                        + text
                        + "' names no existing trait: "
                        + (layerOnly != null
                                ? layerOnly
                                : "no layer is named '"
                                        + (text.contains(":")
                                                ? text.substring(0, text.indexOf(':'))
                                                : text)
                                        + "' (layers: "
                                        + layers.stream()
                                                .map(LayerSpec::name)
                                                .collect(Collectors.joining(", "))
                                        + "; write Layer:Trait, e.g. "
                                        + example
                                        + ")"));
        return null;
    }

    /** One reference or a list of them; {@code null} when any is bad (problems added). */
    private List<TraitRef> refs(YamlNode n, String field, List<LayerSpec> layers) {
        List<YamlNode> items =
                n instanceof YamlNode.Sequence seq ? seq.items() : java.util.List.of(n);
        if (items.isEmpty()) {
            problems.add(n.line(), field, "must name at least one trait (write e.g. [Hat:Crown])");
            return null;
        }
        List<TraitRef> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            TraitRef r =
                    ref(
                            items.get(i),
                            n instanceof YamlNode.Sequence ? field + "[" + i + "]" : field,
                            layers);
            ok &= r != null;
            out.add(r);
        }
        return ok ? out : null;
    }

    private List<RuleSpec> rules(YamlNode node, List<LayerSpec> layers) {
        if (!(node instanceof YamlNode.Sequence seq)) {
            problems.add(
                    node.line(),
                    "rules",
                    "must be a list, got "
                            + node.describe()
                            + " (write e.g. rules: [{forbid: [Background:Red, Hat:Crown]}])");
            return List.of();
        }
        List<RuleSpec> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            RuleSpec r = rule(seq.items().get(i), "rules[" + i + "]", layers);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private RuleSpec rule(YamlNode item, String path, List<LayerSpec> layers) {
        MapReader r = MapReader.of(item, path, problems, "- {forbid: [Background:Red, Hat:Crown]}");
        if (r == null) {
            return null;
        }
        YamlNode forbid = r.optional("forbid");
        YamlNode pair = r.optional("pair");
        YamlNode cond = r.optional("if");
        YamlNode then = r.optional("then");
        YamlNode no = r.optional("no");
        YamlNode only = r.optional("only");
        r.finish();
        int heads = (forbid != null ? 1 : 0) + (pair != null ? 1 : 0) + (cond != null ? 1 : 0);
        int tails = (then != null ? 1 : 0) + (no != null ? 1 : 0) + (only != null ? 1 : 0);
        String shapes =
                "a rule is one of: {forbid: [A:x, B:y]}, {pair: [A:x, B:y]}, {if: A:x, then: [B:y,"
                        + " C:z]}, {if: A:x, no: Layer}, {if: A:x, only: [B:y, B:z]}";
        if (heads != 1 || (cond == null) != (tails == 0) || tails > 1) {
            problems.add(r.line(), path, "is not a rule (" + shapes + ")");
            return null;
        }
        int line = r.line();
        if (forbid != null || pair != null) {
            String key = forbid != null ? "forbid" : "pair";
            List<TraitRef> refs = refs(forbid != null ? forbid : pair, r.field(key), layers);
            if (refs == null) {
                return null;
            }
            if (pair != null && refs.size() != 2) {
                problems.add(
                        pair.line(),
                        r.field("pair"),
                        "must name exactly two traits, got "
                                + refs.size()
                                + " (write e.g. pair: [Hat:Crown, Body:Owl])");
                return null;
            }
            if (forbid != null && refs.size() < 2) {
                problems.add(
                        forbid.line(),
                        r.field("forbid"),
                        "must name at least two traits that may not appear together (write e.g."
                                + " forbid: [Background:Red, Hat:Crown]; to never use a trait,"
                                + " give it weight 0)");
                return null;
            }
            if (!distinctLayers(refs, forbid != null ? forbid : pair, r.field(key))) {
                return null;
            }
            return new RuleSpec(
                    forbid != null ? RuleSpec.Kind.FORBID : RuleSpec.Kind.PAIR, refs, -1, line);
        }
        TraitRef c = ref(cond, r.field("if"), layers);
        if (c == null) {
            return null;
        }
        if (no != null) {
            String layerName = r.text(no, r.field("no"), false, "no: Eyes");
            if (layerName == null) {
                return null;
            }
            for (int l = 0; l < layers.size(); l++) {
                if (layers.get(l).name().equals(layerName)) {
                    if (l == c.layer()) {
                        problems.add(
                                no.line(),
                                r.field("no"),
                                "'"
                                        + layerName
                                        + "' is the layer of "
                                        + c
                                        + " itself (name another layer)");
                        return null;
                    }
                    return new RuleSpec(RuleSpec.Kind.NO_LAYER, List.of(c), l, line);
                }
            }
            problems.add(
                    no.line(),
                    r.field("no"),
                    "no layer is named '"
                            + layerName
                            + "' (layers: "
                            + layers.stream().map(LayerSpec::name).collect(Collectors.joining(", "))
                            + ")");
            return null;
        }
        YamlNode targetNode = then != null ? then : only;
        String key = then != null ? "then" : "only";
        List<TraitRef> targets = refs(targetNode, r.field(key), layers);
        if (targets == null) {
            return null;
        }
        for (TraitRef t : targets) {
            if (t.layer() == c.layer()) {
                problems.add(
                        targetNode.line(),
                        r.field(key),
                        "'"
                                + t
                                + "' is in the same layer as "
                                + c
                                + ", so the two never appear together (name traits of other"
                                + " layers)");
                return null;
            }
            if (only != null && t.layer() != targets.get(0).layer()) {
                problems.add(
                        only.line(),
                        r.field("only"),
                        "'"
                                + t
                                + "' is not in the same layer as '"
                                + targets.get(0)
                                + "' (only lists traits of one layer)");
                return null;
            }
        }
        List<TraitRef> refs = new ArrayList<>();
        refs.add(c);
        refs.addAll(targets);
        return new RuleSpec(
                then != null ? RuleSpec.Kind.REQUIRE : RuleSpec.Kind.ONLY, refs, -1, line);
    }

    private boolean distinctLayers(List<TraitRef> refs, YamlNode node, String field) {
        for (int i = 0; i < refs.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (refs.get(i).layer() == refs.get(j).layer()) {
                    problems.add(
                            node.line(),
                            field,
                            "'"
                                    + refs.get(j)
                                    + "' and '"
                                    + refs.get(i)
                                    + "' are in the same layer, so they never appear together"
                                    + " anyway (name traits of different layers)");
                    return false;
                }
            }
        }
        return true;
    }

    private List<QuotaSpec> quotas(YamlNode node, List<LayerSpec> layers, int size) {
        if (!(node instanceof YamlNode.Mapping map)) {
            problems.add(
                    node.line(),
                    "quotas",
                    "must be a mapping of trait to count, got "
                            + node.describe()
                            + " (write e.g. quotas: {Hat:Crown: 10, Body:Owl: 2.5%})");
            return List.of();
        }
        List<QuotaSpec> out = new ArrayList<>();
        for (YamlNode.Entry e : map.entries().values()) {
            String field = "quotas." + e.key();
            TraitRef ref =
                    ref(
                            new YamlNode.Scalar(e.keyLine(), JsonToken.VALUE_STRING, e.key(), null),
                            field,
                            layers);
            YamlNode v = e.value();
            Integer count = null;
            if (v instanceof YamlNode.Scalar s && s.integer() != null) {
                count = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, s.integer().longValue()));
                if (s.integer().signum() < 0
                        || s.integer().compareTo(BigInteger.valueOf(size)) > 0) {
                    problems.add(
                            v.line(),
                            field,
                            "must be a count from 0 to size ("
                                    + size
                                    + ") or a percentage, got "
                                    + s.text()
                                    + " (write e.g. 10 or 2.5%)");
                    count = null;
                }
            } else if (v instanceof YamlNode.Scalar s
                    && s.token() == JsonToken.VALUE_STRING
                    && PERCENT.matcher(s.text().trim()).matches()) {
                java.util.regex.Matcher m = PERCENT.matcher(s.text().trim());
                m.matches();
                BigDecimal pct = new BigDecimal(m.group(1));
                if (pct.compareTo(BigDecimal.valueOf(100)) > 0) {
                    problems.add(v.line(), field, "must be at most 100%, got " + s.text().trim());
                } else {
                    count =
                            pct.multiply(BigDecimal.valueOf(size))
                                    .divide(BigDecimal.valueOf(100))
                                    .setScale(0, java.math.RoundingMode.HALF_UP)
                                    .intValueExact();
                }
            } else {
                problems.add(
                        v.line(),
                        field,
                        "must be a whole number of tokens or a percentage, got "
                                + v.describe()
                                + " (write e.g. Hat:Crown: 10 or Hat:Crown: 2.5%)");
            }
            if (ref != null && count != null) {
                if (layers.get(ref.layer()).traits().get(ref.trait()).weight().signum() == 0) {
                    problems.add(
                            e.keyLine(),
                            field,
                            ref
                                    + " has weight 0, so it is never used (give it a positive"
                                    + " weight, or remove the quota)");
                } else {
                    out.add(
                            new QuotaSpec(
                                    ref, count, ((YamlNode.Scalar) v).text().trim(), e.keyLine()));
                }
            }
        }
        return out;
    }

    private List<OneOfOneSpec> oneOfOnes(YamlNode node, List<LayerSpec> layers) {
        if (!(node instanceof YamlNode.Sequence seq)) {
            problems.add(
                    node.line(),
                    "one_of_ones",
                    "must be a list, got "
                            + node.describe()
                            + " (write e.g. one_of_ones: [{image: art/queen.png, attributes:"
                            + " {Body: Queen}}])");
            return List.of();
        }
        List<OneOfOneSpec> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            String path = "one_of_ones[" + i + "]";
            MapReader r =
                    MapReader.of(
                            seq.items().get(i),
                            path,
                            problems,
                            "- {image: art/queen.png, attributes: {Body: Queen}}");
            if (r == null) {
                continue;
            }
            YamlNode imageNode = r.required("image", "image: art/queen.png");
            String imageText =
                    imageNode == null
                            ? null
                            : r.text(imageNode, r.field("image"), false, "image: art/queen.png");
            MapReader attrs = r.requiredMapping("attributes", "attributes: {Body: Queen}");
            java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
            boolean ok = imageText != null && attrs != null;
            if (attrs != null) {
                YamlNode.Mapping m = (YamlNode.Mapping) seq.items().get(i);
                YamlNode.Mapping am = (YamlNode.Mapping) m.entries().get("attributes").value();
                for (YamlNode.Entry e : am.entries().values()) {
                    String v =
                            attrs.text(e.value(), attrs.field(e.key()), false, e.key() + ": Queen");
                    ok &= v != null;
                    attributes.put(
                            java.text.Normalizer.normalize(e.key(), java.text.Normalizer.Form.NFC),
                            v);
                }
                if (am.entries().isEmpty()) {
                    problems.add(
                            am.line(),
                            r.field("attributes"),
                            "must not be empty (write e.g. attributes: {Body: Queen})");
                    ok = false;
                }
            }
            r.finish();
            Path image = null;
            if (imageText != null) {
                try {
                    image = baseDir.resolve(imageText).normalize();
                    if (!Files.isRegularFile(image)) {
                        problems.add(
                                imageNode.line(),
                                r.field("image"),
                                "file '" + imageText + "' does not exist (fix the path)");
                        ok = false;
                    }
                } catch (InvalidPathException e) {
                    problems.add(
                            imageNode.line(),
                            r.field("image"),
                            "'" + imageText + "' is not a valid path (" + e.getReason() + ")");
                    ok = false;
                }
            }
            if (!ok) {
                continue;
            }
            List<Integer> choices = new ArrayList<>();
            boolean combination = true;
            int named = 0;
            for (LayerSpec layer : layers) {
                String v = attributes.get(layer.name());
                int choice = -1;
                if (v != null) {
                    named++;
                    for (int t = 0; t < layer.traits().size(); t++) {
                        if (layer.traits().get(t).name().equals(v)) {
                            choice = t;
                        }
                    }
                    combination &= choice >= 0 && layer.traits().get(choice).weight().signum() > 0;
                } else {
                    combination &= layer.optional();
                }
                choices.add(choice);
            }
            combination &= named == attributes.size();
            out.add(new OneOfOneSpec(image, attributes, choices, combination, r.line()));
        }
        return out;
    }

    private String seed(YamlNode n) {
        if (n == null) {
            return null;
        }
        // The seed is secret: no message here repeats its value.
        if (n instanceof YamlNode.Mapping) {
            return seedFrom(MapReader.of(n, "seed", problems, "seed: {env: SERIGRAPH_SEED}"));
        }
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

    /**
     * {@code seed: {env: NAME}} or {@code seed: {file: PATH}}: the seed read at load time from an
     * environment variable (its value as is) or a file (UTF-8, one trailing line end removed).
     */
    private String seedFrom(MapReader r) {
        if (r == null) {
            return null;
        }
        String env = r.optionalString("env", null, false, "env: SERIGRAPH_SEED");
        String fileName = r.optionalString("file", null, false, "file: secret/seed.txt");
        r.finish();
        boolean hasEnv = r.optional("env") != null;
        boolean hasFile = r.optional("file") != null;
        if (hasEnv == hasFile) {
            problems.add(
                    r.line(),
                    "seed",
                    "give exactly one of env or file (write e.g. seed: {env: SERIGRAPH_SEED} or"
                            + " seed: {file: secret/seed.txt})");
            return null;
        }
        String seed;
        if (env != null) {
            seed = System.getenv(env);
            if (seed == null || seed.isEmpty()) {
                problems.add(
                        r.valueLine("env"),
                        r.field("env"),
                        "the environment variable "
                                + env
                                + " is "
                                + (seed == null ? "not set" : "empty")
                                + " (export it before running: export "
                                + env
                                + "=...)");
                return null;
            }
            return seed;
        }
        if (fileName == null) {
            return null;
        }
        Path seedFile;
        try {
            seedFile = baseDir.resolve(fileName).normalize();
        } catch (InvalidPathException e) {
            problems.add(
                    r.valueLine("file"),
                    r.field("file"),
                    "'" + fileName + "' is not a valid path (" + e.getReason() + ")");
            return null;
        }
        try {
            seed = new String(Files.readAllBytes(seedFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(
                    r.valueLine("file"),
                    r.field("file"),
                    "cannot read the seed file '"
                            + fileName
                            + "' ("
                            + (Files.exists(seedFile)
                                    ? e.getClass().getSimpleName()
                                    : "no such file")
                            + "; create it or fix the path)");
            return null;
        }
        if (seed.endsWith("\r\n")) {
            seed = seed.substring(0, seed.length() - 2);
        } else if (seed.endsWith("\n")) {
            seed = seed.substring(0, seed.length() - 1);
        }
        if (seed.isEmpty()) {
            problems.add(
                    r.valueLine("file"),
                    r.field("file"),
                    "the seed file '" + fileName + "' is empty (write the seed into it)");
            return null;
        }
        return seed;
    }

    /**
     * {@code seed_commitment}: 64 hex digits that must equal the SHA-256 of the seed; without it,
     * the seed's own commitment. Messages never show the seed or its hash.
     */
    private String seedCommitment(MapReader top, String seed) {
        YamlNode n = top.optional("seed_commitment");
        String computed = seed == null ? null : CollectionSpec.commitmentOf(seed);
        if (n == null) {
            return computed;
        }
        String example = "seed_commitment: \"<64 hex digits: sha256 of the seed>\"";
        String text = top.text(n, "seed_commitment", false, example);
        if (text == null) {
            return null;
        }
        if (!SHA256_HEX.matcher(text).matches()) {
            problems.add(
                    n.line(),
                    "seed_commitment",
                    "must be a SHA-256 in hex (64 digits 0-9 a-f), got "
                            + n.describe()
                            + " (compute it with: printf %s \"$SEED\" | sha256sum)");
            return null;
        }
        text = text.toLowerCase(java.util.Locale.ROOT);
        if (computed != null && !computed.equals(text)) {
            problems.add(
                    n.line(),
                    "seed_commitment",
                    "the seed does not match seed_commitment (the seed is wrong, or the"
                            + " commitment is: check the seed's variable or file, without"
                            + " printing it)");
            return null;
        }
        return text;
    }

    private PublishSpec publish(MapReader r) {
        PublishSpec d = PublishSpec.defaults();
        if (r == null) {
            return d;
        }
        String mode = r.optionalString("image_uri", "directory", false, "image_uri: directory");
        PublishSpec.ImageUri imageUri = null;
        if (mode != null) {
            for (PublishSpec.ImageUri u : PublishSpec.ImageUri.values()) {
                if (u.specName().equals(mode)) {
                    imageUri = u;
                }
            }
            if (imageUri == null) {
                problems.add(
                        r.valueLine("image_uri"),
                        r.field("image_uri"),
                        "unknown image_uri '"
                                + mode
                                + "' (use directory: ipfs://<images CID>/<id>.png, or file:"
                                + " ipfs://<image CID>)");
            }
        }
        Boolean car = bool(r, "car", true, "car: true");
        YamlNode startNode = r.optional("starting_index");
        Long startingIndex =
                startNode == null
                        ? null
                        : r.integer(
                                startNode,
                                r.field("starting_index"),
                                0,
                                Long.MAX_VALUE,
                                "starting_index: 1234");
        MapReader c =
                r.optionalMapping(
                        "contract", "contract: {name: Moths, seller_fee_basis_points: 500}");
        PublishSpec.ContractSpec contract = c == null ? d.contract() : contract(c);
        r.finish();
        if (imageUri == null
                || car == null
                || contract == null
                || (startNode != null && startingIndex == null)) {
            return null;
        }
        return new PublishSpec(imageUri, car, startingIndex, contract);
    }

    private PublishSpec.ContractSpec contract(MapReader r) {
        String name = r.optionalString("name", null, false, "name: Moths");
        String description = r.optionalString("description", null, true, "description: \"...\"");
        String image = r.optionalString("image", null, false, "image: \"ipfs://CID/logo.png\"");
        String link =
                r.optionalString(
                        "external_link", null, true, "external_link: \"https://moths.example\"");
        Long fee =
                r.optionalInteger(
                        "seller_fee_basis_points", 0, 10_000, 0, "seller_fee_basis_points: 500");
        String recipient =
                r.optionalString(
                        "fee_recipient",
                        null,
                        false,
                        "fee_recipient: \"0x" + "0".repeat(40) + "\"");
        boolean ok = fee != null;
        if (recipient != null && !ADDRESS.matcher(recipient).matches()) {
            problems.add(
                    r.valueLine("fee_recipient"),
                    r.field("fee_recipient"),
                    "must be an Ethereum address: 0x and 40 hex digits, got the text '"
                            + recipient
                            + "'");
            ok = false;
        } else if (recipient == null
                && r.optional("fee_recipient") == null
                && fee != null
                && fee > 0) {
            problems.add(
                    r.valueLine("seller_fee_basis_points"),
                    r.field("seller_fee_basis_points"),
                    "a fee of "
                            + fee
                            + " basis points needs a fee_recipient (add fee_recipient:"
                            + " \"0x...\", or set the fee to 0)");
            ok = false;
        }
        r.finish();
        if (!ok || (r.optional("fee_recipient") != null && recipient == null)) {
            return null;
        }
        return new PublishSpec.ContractSpec(
                name,
                description,
                image,
                link == null || link.isEmpty() ? null : link,
                fee.intValue(),
                recipient);
    }

    private Boolean bool(MapReader r, String key, boolean dflt, String example) {
        YamlNode n = r.optional(key);
        if (n == null) {
            return dflt;
        }
        if (n instanceof YamlNode.Scalar s
                && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
            return s.token() == JsonToken.VALUE_TRUE;
        }
        problems.add(
                n.line(),
                r.field(key),
                "must be true or false, got " + n.describe() + " (write e.g. " + example + ")");
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
            return new OutputSpec(
                    "png",
                    defaultWidth,
                    defaultHeight,
                    ResampleFilter.LANCZOS3,
                    PngCompression.DEFAULT);
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
        PngCompression compression = compression(r);
        r.finish();
        if (format == null
                || width == null
                || height == null
                || resample == null
                || compression == null) {
            return null;
        }
        return new OutputSpec(format, width.intValue(), height.intValue(), resample, compression);
    }

    /**
     * {@code output.compression}: a preset ({@code fast}, {@code default}, {@code max}) or a zlib
     * level 0 to 9 written as a number; {@link PngCompression#DEFAULT} when absent, {@code null}
     * (with a problem) when bad.
     */
    private PngCompression compression(MapReader r) {
        YamlNode n = r.optional("compression");
        if (n == null) {
            return PngCompression.DEFAULT;
        }
        PngCompression c = null;
        if (n instanceof YamlNode.Scalar s) {
            if (s.integer() != null) {
                BigInteger level = s.integer();
                if (level.signum() >= 0 && level.compareTo(BigInteger.valueOf(9)) <= 0) {
                    c = PngCompression.level(level.intValue());
                }
            } else if (s.token() == JsonToken.VALUE_STRING && !s.text().isBlank()) {
                // Text names a preset; a level is written as a number, as every number here is.
                c = PngCompression.fromSpecName(s.text());
                if (c != null && !c.isPreset()) {
                    c = null;
                }
            }
        }
        if (c == null) {
            problems.add(
                    n.line(),
                    r.field("compression"),
                    "must be fast, default, max or a zlib level from 0 to 9, got "
                            + n.describe()
                            + " (write e.g. compression: default)");
        }
        return c;
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

    /** A {@code qc.model} name: default, FAMILY or FAMILY/VERSION. */
    private static final Pattern QC_MODEL = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?");

    private QcSpec qc(MapReader r) {
        if (r == null) {
            return QcSpec.defaults();
        }
        Map<String, QcSetting> settings = new HashMap<>();
        boolean ok = true;
        String model = r.optionalString("model", null, false, "model: default");
        if (model != null && !QC_MODEL.matcher(model).matches()) {
            problems.add(
                    r.valueLine("model"),
                    r.field("model"),
                    "model '"
                            + model
                            + "' must be default, FAMILY or FAMILY/VERSION (letters, digits, '.',"
                            + " '_', '-'), e.g. clip-vit-l-14/openai");
            ok = false;
        }
        String prompt =
                r.optionalString("prompt", null, false, "prompt: \"a moth on a dark background\"");
        if (prompt != null && model == null) {
            problems.add(
                    r.valueLine("prompt"),
                    r.field("prompt"),
                    "a prompt needs a scoring model: add model: default (or name one) to qc");
            ok = false;
        }
        for (String check : QcSpec.CHECKS) {
            if (model == null && QcSpec.MODEL_CHECKS.contains(check) && r.optional(check) != null) {
                problems.add(
                        r.valueLine(check),
                        r.field(check),
                        "the "
                                + check
                                + " check needs a scoring model: add model: default (or name one)"
                                + " to qc");
                ok = false;
            }
            if (model != null
                    && prompt == null
                    && check.equals("prompt_alignment")
                    && r.optional(check) != null) {
                problems.add(
                        r.valueLine(check),
                        r.field(check),
                        "prompt_alignment compares each image with qc.prompt: add prompt:"
                                + " \"what every token should show\" to qc");
                ok = false;
            }
            MapReader c = r.optionalMapping(check, check + ": {threshold: 0.01, tier: review}");
            if (c == null) {
                ok &= r.optional(check) == null;
                continue;
            }
            YamlNode thresholdNode = c.optional("threshold");
            BigDecimal threshold =
                    thresholdNode == null
                            ? null
                            : c.threshold(
                                    thresholdNode, c.field("threshold"), check, "threshold: 0.01");
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
        return ok ? new QcSpec(settings, model, prompt) : null;
    }
}
