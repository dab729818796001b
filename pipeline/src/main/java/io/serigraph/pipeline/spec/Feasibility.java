package io.serigraph.pipeline.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Checks, before anything is planned or rendered, that a spec's rules, quotas, one-of-ones and size
 * can hold together, and names the smallest set of spec lines that conflict when they cannot. Every
 * count is exact ({@link RuleSet#count(boolean[][])}).
 *
 * <p>Checked: rules that allow no combination at all, or none with some drawable trait; a size
 * larger than the allowed unique combinations left to generative tokens; quotas of one layer that
 * add up to more than the tokens, or to fewer when nothing else in the layer can take the rest; a
 * quota larger than the allowed combinations that have its trait, or one leaving more tokens
 * without the trait than there are combinations without it; and two quotas of different layers
 * whose tokens cannot overlap as the rules and the size require. These are necessary conditions;
 * the planner reports any remaining impossibility itself, also before rendering.
 *
 * <p>A conflict's rule lines are minimal: dropping any one of them makes that check pass (deletion
 * filter over the rules, in spec order).
 */
public final class Feasibility {
    private final List<LayerSpec> layers;
    private final int size;
    private final int sizeLine;
    private final List<RuleSpec> rules;
    private final List<QuotaSpec> quotas;
    private final List<OneOfOneSpec> ones;
    private final RuleSet full;
    private final List<SpecProblem> problems = new ArrayList<>();

    /** A spec line taking part in a conflict. */
    private record Part(int line, String field) {}

    private Feasibility(
            List<LayerSpec> layers,
            int size,
            int sizeLine,
            List<RuleSpec> rules,
            List<QuotaSpec> quotas,
            List<OneOfOneSpec> ones) {
        this.layers = layers;
        this.size = size;
        this.sizeLine = sizeLine;
        this.rules = rules;
        this.quotas = quotas;
        this.ones = ones;
        this.full = RuleSet.of(layers, rules);
    }

    /**
     * The feasibility problems of a spec (empty when it can be planned as far as these checks
     * tell), each naming the conflicting lines. {@code sizeLine} is the line of {@code size} (0
     * when unknown).
     */
    public static List<SpecProblem> problems(CollectionSpec spec, int sizeLine) {
        return problems(
                spec.layers(),
                spec.size(),
                sizeLine,
                spec.rules(),
                spec.quotas(),
                spec.oneOfOnes());
    }

    static List<SpecProblem> problems(
            List<LayerSpec> layers,
            int size,
            int sizeLine,
            List<RuleSpec> rules,
            List<QuotaSpec> quotas,
            List<OneOfOneSpec> ones) {
        Feasibility f = new Feasibility(layers, size, sizeLine, rules, quotas, ones);
        f.run();
        return List.copyOf(f.problems);
    }

    private void run() {
        int generative = size - ones.size();
        if (generative < 0) {
            add(
                    List.of(new Part(ones.get(0).line(), "one_of_ones"), sizePart()),
                    "there are "
                            + ones.size()
                            + " one-of-ones but size is only "
                            + size
                            + " (size counts the one-of-ones too: raise size or remove some)");
            return;
        }
        BigInteger total = full.count();
        if (!rules.isEmpty() && total.signum() == 0) {
            add(
                    ruleParts(minimal(s -> s.count().signum() == 0)),
                    "the rules allow no combination of traits at all (change or remove one of"
                            + " them)");
            return;
        }
        if (!rules.isEmpty()) {
            for (int l = 0; l < layers.size(); l++) {
                for (int t = 0; t < layers.get(l).traits().size(); t++) {
                    if (!full.inDomain(l, t)) {
                        continue;
                    }
                    int layer = l;
                    int trait = t;
                    if (full.count(full.fixed(l, t)).signum() == 0) {
                        add(
                                ruleParts(
                                        minimal(s -> s.count(s.fixed(layer, trait)).signum() == 0)),
                                "the rules leave no token that can have "
                                        + name(l, t)
                                        + " (change one of these rules, or give the trait"
                                        + " weight 0)");
                    }
                }
            }
            if (!problems.isEmpty()) {
                return;
            }
        }
        if (!rules.isEmpty() || !ones.isEmpty()) {
            BigInteger g = BigInteger.valueOf(generative);
            if (available(full, full.unrestricted()).compareTo(g) < 0) {
                List<Part> parts =
                        ruleParts(minimal(s -> available(s, s.unrestricted()).compareTo(g) < 0));
                parts.add(sizePart());
                add(
                        parts,
                        "size "
                                + size
                                + (ones.isEmpty() ? "" : " (" + generative + " generative)")
                                + " is more than the "
                                + available(full, full.unrestricted())
                                + " unique combinations the rules allow"
                                + (ones.isEmpty() ? "" : " less those the one-of-ones take")
                                + " (lower size, or relax the rules)");
                return;
            }
        }
        quotas(generative);
    }

    private void quotas(int generative) {
        int[] need = new int[quotas.size()];
        for (int i = 0; i < quotas.size(); i++) {
            QuotaSpec q = quotas.get(i);
            int fromOnes = 0;
            for (OneOfOneSpec o : ones) {
                if (o.choices().get(q.trait().layer()) == q.trait().trait()) {
                    fromOnes++;
                }
            }
            need[i] = q.count() - fromOnes;
            if (need[i] < 0) {
                add(
                        List.of(quotaPart(q)),
                        "quota "
                                + q.count()
                                + " for "
                                + q.trait()
                                + " is less than the "
                                + fromOnes
                                + " one-of-ones that have it (raise the quota)");
            }
        }
        if (!problems.isEmpty()) {
            return;
        }
        for (int l = 0; l < layers.size(); l++) {
            int sum = 0;
            List<Part> parts = new ArrayList<>();
            boolean[] quotaTrait = new boolean[layers.get(l).traits().size()];
            for (int i = 0; i < quotas.size(); i++) {
                if (quotas.get(i).trait().layer() == l) {
                    sum += need[i];
                    parts.add(quotaPart(quotas.get(i)));
                    quotaTrait[quotas.get(i).trait().trait()] = true;
                }
            }
            if (parts.isEmpty()) {
                continue;
            }
            boolean rest = full.inDomain(l, -1);
            for (int t = 0; t < quotaTrait.length; t++) {
                rest |= !quotaTrait[t] && full.inDomain(l, t);
            }
            if (sum > generative) {
                parts.add(sizePart());
                add(
                        parts,
                        "the quotas of layer '"
                                + layers.get(l).name()
                                + "' add up to "
                                + sum
                                + " generative tokens, more than the "
                                + generative
                                + " there are (lower them)");
            } else if (!rest && sum < generative) {
                parts.add(sizePart());
                add(
                        parts,
                        "the quotas of layer '"
                                + layers.get(l).name()
                                + "' add up to "
                                + sum
                                + " of "
                                + generative
                                + " generative tokens, and no other choice of the layer has a"
                                + " positive weight to take the rest (make them add up, or give"
                                + " another trait a weight)");
            }
        }
        if (!problems.isEmpty()) {
            return;
        }
        for (int i = 0; i < quotas.size(); i++) {
            QuotaSpec q = quotas.get(i);
            int l = q.trait().layer();
            int t = q.trait().trait();
            int n = need[i];
            int without = generative - n;
            if (with(full, l, t).compareTo(BigInteger.valueOf(n)) < 0) {
                List<Part> parts =
                        ruleParts(minimal(s -> with(s, l, t).compareTo(BigInteger.valueOf(n)) < 0));
                parts.add(quotaPart(q));
                add(
                        parts,
                        "quota "
                                + q.count()
                                + " for "
                                + q.trait()
                                + " cannot hold: only "
                                + with(full, l, t)
                                + " allowed unique combinations have it (lower the quota, or"
                                + " relax the rules)");
            } else if (without(full, l, t).compareTo(BigInteger.valueOf(without)) < 0) {
                List<Part> parts =
                        ruleParts(
                                minimal(
                                        s ->
                                                without(s, l, t)
                                                                .compareTo(
                                                                        BigInteger.valueOf(without))
                                                        < 0));
                parts.add(quotaPart(q));
                parts.add(sizePart());
                add(
                        parts,
                        "quota "
                                + q.count()
                                + " for "
                                + q.trait()
                                + " leaves "
                                + without
                                + " generative tokens without it, but only "
                                + without(full, l, t)
                                + " allowed unique combinations lack it (raise the quota, or"
                                + " lower size)");
            }
        }
        if (!problems.isEmpty()) {
            return;
        }
        for (int i = 0; i < quotas.size(); i++) {
            for (int j = i + 1; j < quotas.size(); j++) {
                QuotaSpec a = quotas.get(i);
                QuotaSpec b = quotas.get(j);
                if (a.trait().layer() == b.trait().layer()) {
                    continue;
                }
                int na = need[i];
                int nb = need[j];
                if (!pairFits(full, a.trait(), b.trait(), na, nb, generative)) {
                    List<Part> parts =
                            ruleParts(
                                    minimal(
                                            s ->
                                                    !pairFits(
                                                            s,
                                                            a.trait(),
                                                            b.trait(),
                                                            na,
                                                            nb,
                                                            generative)));
                    parts.add(quotaPart(a));
                    parts.add(quotaPart(b));
                    parts.add(sizePart());
                    add(
                            parts,
                            "quotas "
                                    + a.count()
                                    + " for "
                                    + a.trait()
                                    + " and "
                                    + b.count()
                                    + " for "
                                    + b.trait()
                                    + " cannot hold together with the rules and the size (lower"
                                    + " one of the quotas, or relax the rules)");
                }
            }
        }
    }

    /**
     * Whether some overlap {@code x} (tokens with both A and B) fits every region's capacity: A and
     * B, A without B, B without A, neither.
     */
    private boolean pairFits(RuleSet s, TraitRef a, TraitRef b, long na, long nb, long g) {
        long ab = capped(available(s, region(s, a, true, b, true)));
        long aNotB = capped(available(s, region(s, a, true, b, false)));
        long notAB = capped(available(s, region(s, a, false, b, true)));
        long neither = capped(available(s, region(s, a, false, b, false)));
        long lo = Math.max(Math.max(0, na - aNotB), Math.max(nb - notAB, na + nb - g));
        long hi = Math.min(Math.min(na, nb), Math.min(ab, neither - g + na + nb));
        return lo <= hi;
    }

    private static long capped(BigInteger v) {
        return v.min(BigInteger.valueOf(Long.MAX_VALUE / 4)).longValue();
    }

    private boolean[][] region(RuleSet s, TraitRef a, boolean hasA, TraitRef b, boolean hasB) {
        boolean[][] r = s.unrestricted();
        r[a.layer()] = membership(a, hasA);
        r[b.layer()] = membership(b, hasB);
        return r;
    }

    private boolean[] membership(TraitRef ref, boolean has) {
        boolean[] m = new boolean[layers.get(ref.layer()).traits().size() + 1];
        java.util.Arrays.fill(m, !has);
        m[ref.trait() + 1] = has;
        return m;
    }

    private BigInteger with(RuleSet s, int layer, int trait) {
        return available(s, s.fixed(layer, trait));
    }

    private BigInteger without(RuleSet s, int layer, int trait) {
        boolean[][] r = s.unrestricted();
        r[layer] = membership(new TraitRef(layer, trait, ""), false);
        return available(s, r);
    }

    /**
     * Allowed combinations within {@code restriction} less those that one-of-ones take (a
     * one-of-one takes its combination when it is one the planner could make and the rules allow).
     */
    private BigInteger available(RuleSet s, boolean[][] restriction) {
        BigInteger n = s.count(restriction);
        for (OneOfOneSpec o : ones) {
            if (!o.combination()) {
                continue;
            }
            int[] c = o.choices().stream().mapToInt(Integer::intValue).toArray();
            boolean in = s.allows(c);
            for (int l = 0; in && l < c.length; l++) {
                in = restriction[l] == null || restriction[l][c[l] + 1];
            }
            if (in) {
                n = n.subtract(BigInteger.ONE);
            }
        }
        return n;
    }

    /** The rules that, kept alone, still fail {@code fails}: a deletion filter in spec order. */
    private List<Integer> minimal(Predicate<RuleSet> fails) {
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            kept.add(r);
        }
        for (int r = 0; r < rules.size(); r++) {
            List<Integer> without = new ArrayList<>(kept);
            without.remove(Integer.valueOf(r));
            if (fails.test(full.only(without))) {
                kept = without;
            }
        }
        return kept;
    }

    private List<Part> ruleParts(List<Integer> indexes) {
        List<Part> parts = new ArrayList<>();
        for (int r : indexes) {
            parts.add(new Part(rules.get(r).line(), "rules[" + r + "]"));
        }
        return parts;
    }

    private Part sizePart() {
        return new Part(sizeLine, "size");
    }

    private static Part quotaPart(QuotaSpec q) {
        return new Part(q.line(), "quotas." + q.trait().text());
    }

    private String name(int layer, int trait) {
        return layers.get(layer).name() + ":" + layers.get(layer).traits().get(trait).name();
    }

    private void add(List<Part> parts, String message) {
        List<Part> sorted =
                parts.stream().distinct().sorted(Comparator.comparingInt(Part::line)).toList();
        Part first = sorted.get(0);
        String lines =
                sorted.stream()
                        .map(p -> (p.line() > 0 ? "line " + p.line() + " " : "") + p.field())
                        .collect(Collectors.joining(", "));
        problems.add(
                new SpecProblem(first.line(), first.field(), message + "; conflicting: " + lines));
    }
}
