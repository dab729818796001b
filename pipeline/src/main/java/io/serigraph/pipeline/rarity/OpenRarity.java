package io.serigraph.pipeline.rarity;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.spec.CodePointOrder;
import io.serigraph.pipeline.spec.LayerSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenRarity's information-content rarity, as its reference library ({@code open_rarity}, {@code
 * InformationContentScoringHandler} and {@code RarityRanker}) defines it:
 *
 * <ul>
 *   <li>Trait types and values are lower-cased and trimmed.
 *   <li>Every token gets the meta trait {@code meta_trait:trait_count}: the number of its
 *       attributes whose value is not {@code "none"} or empty.
 *   <li>A token without some trait type of the collection has that type's <em>null</em> value,
 *       whose count is the number of tokens without the type.
 *   <li>A token's information content is {@code -sum(log2(1 / (N / count)))} over every trait type
 *       of the collection in sorted order (its value or the null value), summed like numpy's {@code
 *       np.sum}; its score is that divided by the collection entropy {@code -sum(p * log2(p))} over
 *       every value and null value, {@code p = count / N} (0 when the entropy is 0).
 *   <li>Ranks: tokens sorted by (unique attribute count, score), both descending, ties in token
 *       order; a token whose score is {@code math.isclose} to the previous one's takes its rank (1,
 *       2, 2, 4). The unique attribute count is how many of the token's own attributes (meta trait
 *       included, null values not) only it has.
 * </ul>
 *
 * Logarithms are correctly rounded and the information content is summed in numpy's pairwise order.
 * The entropy's terms come in order of first appearance and are multiplied and added like
 * OpenBLAS's {@code ddot} ({@link NumpySum#dot}); the reference's {@code np.dot} leaves that order
 * to the BLAS library, so on large collections the last bit of a score may differ from a given
 * numpy build's. The published vectors and the tests' numpy-computed ones match exactly.
 */
public final class OpenRarity {
    /** The name of the meta trait. */
    public static final String TRAIT_COUNT = "meta_trait:trait_count";

    private OpenRarity() {}

    /**
     * Ranks a collection given as each token's attributes (trait type, value), in token order.
     * Later attributes of a type already seen in the same token replace the earlier one.
     */
    public static RarityTable rank(List<List<Map.Entry<String, String>>> tokens) {
        Builder b = new Builder(tokens.size());
        for (List<Map.Entry<String, String>> attributes : tokens) {
            b.token(attributes);
        }
        return b.finish();
    }

    /** Ranks every token of a plan (one-of-ones with their own attributes). */
    public static RarityTable rank(Plan plan) {
        List<LayerSpec> layers = plan.layers();
        // Attribute ids of every (layer, choice), made once: generative tokens cost no allocation.
        Builder b = new Builder(plan.size());
        int[][] ids = new int[layers.size()][];
        boolean[][] counted = new boolean[layers.size()][];
        int[] typeOfLayer = new int[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec layer = layers.get(l);
            typeOfLayer[l] = b.type(layer.name());
            ids[l] = new int[layer.traits().size()];
            counted[l] = new boolean[layer.traits().size()];
            for (int t = 0; t < ids[l].length; t++) {
                String value = layer.traits().get(t).name();
                ids[l][t] = b.value(typeOfLayer[l], value);
                counted[l][t] = countsAsTrait(value);
            }
        }
        int[] row = new int[layers.size() + 1];
        for (int i = 0; i < plan.size(); i++) {
            if (plan.isOneOfOne(i)) {
                b.token(plan.attributes(i));
                continue;
            }
            int n = 0;
            int traits = 0;
            for (int l = 0; l < layers.size(); l++) {
                int c = plan.choice(i, l);
                if (c != PlannedToken.NONE) {
                    row[n++] = ids[l][c];
                    traits += counted[l][c] ? 1 : 0;
                }
            }
            b.tokenIds(row, n, traits);
        }
        return b.finish();
    }

    static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).strip();
    }

    private static boolean countsAsTrait(String value) {
        String v = normalize(value);
        return !v.equals("none") && !v.isEmpty();
    }

    /** Interns attributes, then scores and ranks. */
    private static final class Builder {
        private final int n;
        private final Map<String, Integer> types = new HashMap<>();
        private final List<String> typeNames = new ArrayList<>();
        private final Map<String, Integer> values = new HashMap<>(); // type + '\0' + value
        private int[] valueType = new int[64];
        private int valueCount;
        private int[] metaValue = new int[0]; // by trait count, +1; 0 = not made yet
        private final List<String> valueTexts = new ArrayList<>();
        private int[] count = new int[64];
        private int[] tokenStart;
        private int[] attrs;
        private int used;
        private int tokens;
        private final int metaType;

        Builder(int n) {
            this.n = n;
            this.tokenStart = new int[n + 1];
            this.attrs = new int[Math.max(16, n * 4)];
            this.metaType = type(TRAIT_COUNT);
        }

        int type(String name) {
            String key = normalize(name);
            Integer t = types.get(key);
            if (t == null) {
                t = typeNames.size();
                types.put(key, t);
                typeNames.add(key);
            }
            return t;
        }

        int value(int type, String value) {
            String key = type + "\0" + normalize(value);
            Integer v = values.get(key);
            if (v == null) {
                v = valueCount++;
                values.put(key, v);
                if (v >= count.length) {
                    count = Arrays.copyOf(count, count.length * 2);
                    valueType = Arrays.copyOf(valueType, valueType.length * 2);
                }
                valueType[v] = type;
                valueTexts.add(normalize(value));
            }
            return v;
        }

        void token(List<Map.Entry<String, String>> attributes) {
            Map<Integer, Integer> byType = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, String> a : attributes) {
                int t = type(a.getKey());
                byType.put(t, value(t, a.getValue()));
            }
            int[] row = new int[byType.size()];
            int k = 0;
            int traits = 0;
            for (int v : byType.values()) {
                row[k++] = v;
                traits += countsAsTrait(valueTexts.get(v)) ? 1 : 0;
            }
            tokenIds(row, row.length, traits);
        }

        void tokenIds(int[] row, int len, int traitCount) {
            ensure(len + 1);
            tokenStart[tokens] = used;
            for (int k = 0; k < len; k++) {
                attrs[used++] = row[k];
                count[row[k]]++;
            }
            if (traitCount >= metaValue.length) {
                metaValue = Arrays.copyOf(metaValue, traitCount + 8);
            }
            if (metaValue[traitCount] == 0) {
                metaValue[traitCount] = value(metaType, Integer.toString(traitCount)) + 1;
            }
            int meta = metaValue[traitCount] - 1;
            attrs[used++] = meta;
            count[meta]++;
            tokens++;
            tokenStart[tokens] = used;
        }

        private void ensure(int more) {
            if (used + more > attrs.length) {
                attrs = Arrays.copyOf(attrs, Math.max(attrs.length * 2, used + more));
            }
        }

        RarityTable finish() {
            if (tokens != n) {
                throw new IllegalStateException("expected " + n + " tokens, got " + tokens);
            }
            int typeCount = typeNames.size();

            long[] withType = new long[typeCount];
            for (int v = 0; v < valueCount; v++) {
                withType[valueType[v]] += count[v];
            }
            // Entropy: every value by type then value in order of first appearance, then the null
            // values by type; the dot product of p and log2(p) as OpenBLAS's ddot forms it.
            List<Integer> typeOrder = new ArrayList<>();
            List<List<Integer>> valuesOfType = new ArrayList<>();
            int[] typeSlot = new int[typeCount];
            Arrays.fill(typeSlot, -1);
            boolean[] seen = new boolean[valueCount];
            for (int k = 0; k < used; k++) {
                int v = attrs[k];
                if (seen[v]) {
                    continue;
                }
                seen[v] = true;
                int t = valueType[v];
                if (typeSlot[t] < 0) {
                    typeSlot[t] = typeOrder.size();
                    typeOrder.add(t);
                    valuesOfType.add(new ArrayList<>());
                }
                valuesOfType.get(typeSlot[t]).add(v);
            }
            double[] probabilities = new double[valueCount + typeCount];
            double[] logs = new double[valueCount + typeCount];
            int np = 0;
            for (List<Integer> vs : valuesOfType) {
                for (int v : vs) {
                    double p = count[v] / (double) n;
                    probabilities[np] = p;
                    logs[np++] = Log2.of(p);
                }
            }
            for (int t : typeOrder) {
                long nulls = n - withType[t];
                if (nulls > 0) {
                    double p = nulls / (double) n;
                    probabilities[np] = p;
                    logs[np++] = Log2.of(p);
                }
            }
            double dot = NumpySum.dot(probabilities, logs, np);
            double entropy = -dot;
            // Information-content term of a count: log2(reciprocal(N / count)).
            Map<Integer, Double> terms = new HashMap<>();
            double[] valueTerm = new double[valueCount];
            for (int v = 0; v < valueCount; v++) {
                valueTerm[v] = count[v] > 0 ? term(terms, count[v]) : 0;
            }
            Integer[] sortedTypes = new Integer[typeCount];
            for (int t = 0; t < typeCount; t++) {
                sortedTypes[t] = t;
            }
            Arrays.sort(
                    sortedTypes,
                    (a, b) -> CodePointOrder.INSTANCE.compare(typeNames.get(a), typeNames.get(b)));
            int[] slotOfType = new int[typeCount];
            for (int s = 0; s < typeCount; s++) {
                slotOfType[sortedTypes[s]] = s;
            }
            double[] nullTerm = new double[typeCount];
            for (int t = 0; t < typeCount; t++) {
                long nulls = n - withType[t];
                nullTerm[t] = nulls > 0 ? term(terms, (int) nulls) : Double.NaN;
            }
            double[] scores = new double[n];
            int[] unique = new int[n];
            double[] slots = new double[typeCount];
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < typeCount; s++) {
                    slots[s] = nullTerm[sortedTypes[s]];
                }
                int u = 0;
                for (int k = tokenStart[i]; k < tokenStart[i + 1]; k++) {
                    int v = attrs[k];
                    slots[slotOfType[valueType[v]]] = valueTerm[v];
                    u += count[v] == 1 ? 1 : 0;
                }
                double ic = -NumpySum.sum(slots, typeCount);
                scores[i] = entropy == 0 ? 0.0 : ic / entropy;
                unique[i] = u;
            }
            return Ranking.rank(scores, unique, entropy);
        }

        private double term(Map<Integer, Double> memo, int c) {
            return memo.computeIfAbsent(c, k -> Log2.of(1.0 / (n / (double) k)));
        }
    }
}
