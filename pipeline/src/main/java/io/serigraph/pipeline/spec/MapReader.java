package io.serigraph.pipeline.spec;

import com.fasterxml.jackson.core.JsonToken;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the keys of one YAML mapping into values, adding a precise problem for each key that is
 * missing, unknown or of the wrong kind. The keys a mapping allows are exactly the keys its reader
 * is asked for, so adding a key to the spec is one call in {@link SpecLoader}; {@link #finish()}
 * then reports every other key as unknown, naming the allowed ones.
 *
 * <p>Every getter returns {@code null} when the value is unusable (the problem is already
 * recorded), so callers go on and find further problems.
 */
final class MapReader {
    private final YamlNode.Mapping map;
    private final String path;
    private final Problems problems;
    private final List<String> allowed = new ArrayList<>();
    private final Map<String, String> missing = new LinkedHashMap<>();

    MapReader(YamlNode.Mapping map, String path, Problems problems) {
        this.map = map;
        this.path = path;
        this.problems = problems;
    }

    /**
     * A reader for {@code node}, which must be a mapping; {@code null} (with a problem) otherwise.
     */
    static MapReader of(YamlNode node, String path, Problems problems, String example) {
        if (node instanceof YamlNode.Mapping m) {
            return new MapReader(m, path, problems);
        }
        problems.add(
                node.line(),
                path,
                (path.isEmpty() ? "the top level must be" : "must be")
                        + " a mapping of keys, got "
                        + node.describe()
                        + " (write e.g. "
                        + example
                        + ")");
        return null;
    }

    int line() {
        return map.line();
    }

    String path() {
        return path;
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Declares an optional key; its value, or {@code null} when absent. */
    YamlNode optional(String key) {
        if (!allowed.contains(key)) {
            allowed.add(key);
        }
        YamlNode.Entry e = map.entries().get(key);
        return e == null ? null : e.value();
    }

    /** Declares a required key; its value, or {@code null} (with a problem) when absent. */
    YamlNode required(String key, String example) {
        YamlNode node = optional(key);
        if (node == null) {
            missing.put(key, "missing required key '" + key + "' (add it, e.g. " + example + ")");
        }
        return node;
    }

    /** The line of {@code key}'s value, or of the mapping when the key is absent. */
    int valueLine(String key) {
        YamlNode.Entry e = map.entries().get(key);
        return e == null ? map.line() : e.value().line();
    }

    /** Reports the unknown and the missing keys. Call after every key has been declared. */
    void finish() {
        for (YamlNode.Entry e : map.entries().values()) {
            if (allowed.contains(e.key())) {
                continue;
            }
            String guess = closest(e.key());
            StringBuilder msg = new StringBuilder("unknown key '").append(e.key()).append("'");
            if (guess != null) {
                msg.append(" (did you mean '").append(guess).append("'?)");
                missing.remove(guess);
            }
            msg.append("; allowed keys here: ").append(String.join(", ", allowed));
            problems.add(e.keyLine(), field(e.key()), msg.toString());
        }
        missing.forEach((key, msg) -> problems.add(map.line(), field(key), msg));
    }

    // ---- typed getters -------------------------------------------------------------------

    String requiredString(String key, String example) {
        YamlNode n = required(key, example);
        return n == null ? null : text(n, field(key), false, example);
    }

    String optionalString(String key, String dflt, boolean allowEmpty, String example) {
        YamlNode n = optional(key);
        return n == null ? dflt : text(n, field(key), allowEmpty, example);
    }

    Long requiredInteger(String key, long min, long max, String example) {
        YamlNode n = required(key, example);
        return n == null ? null : integer(n, field(key), min, max, example);
    }

    Long optionalInteger(String key, long min, long max, long dflt, String example) {
        YamlNode n = optional(key);
        return n == null ? Long.valueOf(dflt) : integer(n, field(key), min, max, example);
    }

    /** A mapping value; {@code null} when absent or not a mapping. */
    MapReader optionalMapping(String key, String example) {
        YamlNode n = optional(key);
        return n == null ? null : of(n, field(key), problems, example);
    }

    MapReader requiredMapping(String key, String example) {
        YamlNode n = required(key, example);
        return n == null ? null : of(n, field(key), problems, example);
    }

    /** A non-empty list value; {@code null} (with a problem) when absent, empty or not a list. */
    List<YamlNode> requiredList(String key, String example) {
        YamlNode n = required(key, example);
        if (n == null) {
            return null;
        }
        if (!(n instanceof YamlNode.Sequence s)) {
            problems.add(
                    n.line(),
                    field(key),
                    "must be a list, got " + n.describe() + " (write e.g. " + example + ")");
            return null;
        }
        if (s.items().isEmpty()) {
            problems.add(n.line(), field(key), "must not be empty (add at least one entry)");
            return null;
        }
        return s.items();
    }

    // ---- conversions, shared with the loader ----------------------------------------------

    /**
     * Any scalar as the text written (so {@code symbol: NO} is the text "NO", not a boolean),
     * normalized to Unicode NFC.
     */
    String text(YamlNode n, String field, boolean allowEmpty, String example) {
        if (!(n instanceof YamlNode.Scalar s) || s.isNull()) {
            problems.add(
                    n.line(),
                    field,
                    "must be text, got " + n.describe() + " (write e.g. " + example + ")");
            return null;
        }
        String text = Normalizer.normalize(s.text(), Normalizer.Form.NFC);
        if (!allowEmpty && text.isBlank()) {
            problems.add(n.line(), field, "must not be empty (write e.g. " + example + ")");
            return null;
        }
        return text;
    }

    Long integer(YamlNode n, String field, long min, long max, String example) {
        if (!(n instanceof YamlNode.Scalar s) || s.integer() == null) {
            String quoted =
                    n instanceof YamlNode.Scalar s2
                                    && s2.token() == JsonToken.VALUE_STRING
                                    && !s2.text().isEmpty()
                            ? "; write digits only, without quotes"
                            : "";
            problems.add(
                    n.line(),
                    field,
                    "must be "
                            + range(min, max)
                            + ", got "
                            + n.describe()
                            + " (write e.g. "
                            + example
                            + quoted
                            + ")");
            return null;
        }
        BigInteger v = s.integer();
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.add(
                    n.line(),
                    field,
                    "must be " + range(min, max) + ", got " + v + " (write e.g. " + example + ")");
            return null;
        }
        return v.longValue();
    }

    private static String range(long min, long max) {
        if (min == 1 && (max == Integer.MAX_VALUE || max == Long.MAX_VALUE)) {
            return "a positive whole number (1 to " + max + ")";
        }
        if (min == 0 && (max == Integer.MAX_VALUE || max == Long.MAX_VALUE)) {
            return "a whole number from 0 to " + max;
        }
        return "a whole number from " + min + " to " + max;
    }

    /** A non-negative exact decimal such as {@code 0.5} or {@code 3}. */
    BigDecimal decimal(YamlNode n, String field, String example) {
        if (n instanceof YamlNode.Scalar s
                && (s.token() == JsonToken.VALUE_NUMBER_INT
                        || s.token() == JsonToken.VALUE_NUMBER_FLOAT)) {
            try {
                return HashLipsName.parseWeight(s.text());
            } catch (IllegalArgumentException e) {
                problems.add(n.line(), field, e.getMessage() + " (write e.g. " + example + ")");
                return null;
            }
        }
        problems.add(
                n.line(),
                field,
                "must be a non-negative decimal number, got "
                        + n.describe()
                        + " (write e.g. "
                        + example
                        + ")");
        return null;
    }

    /**
     * A QC check's threshold: a non-negative exact decimal such as {@code 0.01} or {@code 3}. A bad
     * one is reported as the check's threshold, with what a threshold may be.
     */
    BigDecimal threshold(YamlNode n, String field, String check, String example) {
        String allowed =
                "a threshold is a decimal number of 0 or more, such as 0, 0.01 or 4.5, in the unit"
                        + " of what the check measures (docs/spec.md, qc) (write e.g. "
                        + example
                        + ")";
        if (n instanceof YamlNode.Scalar s
                && (s.token() == JsonToken.VALUE_NUMBER_INT
                        || s.token() == JsonToken.VALUE_NUMBER_FLOAT)) {
            String problem = HashLipsName.decimalProblem(s.text());
            if (problem == null) {
                return new BigDecimal(s.text());
            }
            problems.add(
                    n.line(),
                    field,
                    "the "
                            + check
                            + " check's threshold "
                            + s.text()
                            + " "
                            + problem
                            + "; "
                            + allowed);
            return null;
        }
        problems.add(
                n.line(),
                field,
                "the "
                        + check
                        + " check's threshold must be a number, got "
                        + n.describe()
                        + "; "
                        + allowed);
        return null;
    }

    private String closest(String key) {
        String best = null;
        int bestDistance = 3; // suggest only close typos
        for (String candidate : allowed) {
            int d =
                    candidate.equalsIgnoreCase(key)
                            ? 0
                            : distance(candidate, key.replace('-', '_').toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
