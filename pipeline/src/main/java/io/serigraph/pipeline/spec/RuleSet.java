package io.serigraph.pipeline.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A spec's rules compiled for checking and exact counting. Each rule becomes one or two
 * <em>violation boxes</em>: sets of combinations that break it, each a product of one set of
 * choices per layer ("layer A is Red and layer C is Crown", "layer C is Crown and layer B is
 * neither Moth nor Owl"). A combination is allowed when it lies in no box.
 *
 * <p>{@link #count(boolean[][])} counts allowed combinations exactly without enumerating them: a
 * dynamic program over the layers, bottom to top, whose state is the set of boxes the choices so
 * far still lie in, with the choices of a layer grouped by which boxes they keep. Its cost grows
 * with the number of layers, choices and reachable box sets, never with the number of combinations.
 *
 * <p>Choices are trait indexes, or -1 for "none"; sets are indexed by {@code choice + 1}. A layer's
 * <em>domain</em> is what the planner can ever choose there: its traits with a positive weight, and
 * none when the layer is optional.
 */
public final class RuleSet {
    private final List<LayerSpec> layers;
    private final boolean[][] domain;
    private final Box[] boxes;
    private final int words;
    private final long[][] atMask; // per layer: boxes constrained at it
    private final long[][] lastMask; // per layer: boxes whose last constrained layer it is
    private final int[][] boxesAt;

    /**
     * One way to break a rule.
     *
     * @param rule index of the rule in the spec's list
     * @param constrained the layers the box constrains, ascending
     * @param sets per layer, the choices (by {@code choice + 1}) in the box; {@code null} = any
     */
    record Box(int rule, int[] constrained, boolean[][] sets) {}

    private RuleSet(List<LayerSpec> layers, Box[] boxes) {
        this.layers = List.copyOf(layers);
        this.boxes = boxes;
        int n = layers.size();
        this.domain = new boolean[n][];
        for (int l = 0; l < n; l++) {
            LayerSpec layer = layers.get(l);
            boolean[] d = new boolean[layer.traits().size() + 1];
            d[0] = layer.optional();
            for (int t = 0; t < layer.traits().size(); t++) {
                d[t + 1] = layer.traits().get(t).weight().signum() > 0;
            }
            domain[l] = d;
        }
        this.words = Math.max(1, (boxes.length + 63) >>> 6);
        this.atMask = new long[n][words];
        this.lastMask = new long[n][words];
        List<List<Integer>> at = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            at.add(new ArrayList<>());
        }
        for (int b = 0; b < boxes.length; b++) {
            int[] c = boxes[b].constrained();
            for (int l : c) {
                atMask[l][b >>> 6] |= 1L << b;
                at.get(l).add(b);
            }
            int last = c[c.length - 1];
            lastMask[last][b >>> 6] |= 1L << b;
        }
        this.boxesAt = new int[n][];
        for (int l = 0; l < n; l++) {
            boxesAt[l] = at.get(l).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Compiles {@code rules}, whose references must point into {@code layers} (the loader checks
     * this and the shape of each rule).
     */
    public static RuleSet of(List<LayerSpec> layers, List<RuleSpec> rules) {
        List<Box> boxes = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            boxes.addAll(boxesOf(layers, rules.get(r), r));
        }
        return new RuleSet(layers, boxes.toArray(new Box[0]));
    }

    /** The same layers with only the rules at the given indexes (for finding conflicting sets). */
    public RuleSet only(List<Integer> ruleIndexes) {
        return new RuleSet(
                layers,
                Arrays.stream(boxes)
                        .filter(b -> ruleIndexes.contains(b.rule()))
                        .toArray(Box[]::new));
    }

    private static List<Box> boxesOf(List<LayerSpec> layers, RuleSpec rule, int index) {
        int n = layers.size();
        List<Box> out = new ArrayList<>();
        switch (rule.kind()) {
            case FORBID -> {
                boolean[][] sets = new boolean[n][];
                for (TraitRef ref : rule.refs()) {
                    sets[ref.layer()] = only(layers, ref);
                }
                out.add(box(index, sets));
            }
            case REQUIRE -> {
                boolean[][] sets = new boolean[n][];
                TraitRef cond = rule.condition();
                sets[cond.layer()] = only(layers, cond);
                for (TraitRef ref : rule.refs().subList(1, rule.refs().size())) {
                    if (sets[ref.layer()] == null) {
                        sets[ref.layer()] = all(layers, ref.layer(), true);
                    }
                    sets[ref.layer()][ref.trait() + 1] = false;
                }
                out.add(box(index, sets));
            }
            case NO_LAYER -> {
                boolean[][] sets = new boolean[n][];
                sets[rule.condition().layer()] = only(layers, rule.condition());
                sets[rule.layer()] = all(layers, rule.layer(), false);
                out.add(box(index, sets));
            }
            case ONLY -> {
                boolean[][] sets = new boolean[n][];
                sets[rule.condition().layer()] = only(layers, rule.condition());
                int target = rule.refs().get(1).layer();
                sets[target] = all(layers, target, false);
                for (TraitRef ref : rule.refs().subList(1, rule.refs().size())) {
                    sets[target][ref.trait() + 1] = false;
                }
                out.add(box(index, sets));
            }
            case PAIR -> {
                TraitRef a = rule.refs().get(0);
                TraitRef b = rule.refs().get(1);
                for (TraitRef[] xy : new TraitRef[][] {{a, b}, {b, a}}) {
                    boolean[][] sets = new boolean[n][];
                    sets[xy[0].layer()] = only(layers, xy[0]);
                    sets[xy[1].layer()] = all(layers, xy[1].layer(), true);
                    sets[xy[1].layer()][xy[1].trait() + 1] = false;
                    out.add(box(index, sets));
                }
            }
            default -> throw new IllegalArgumentException("unknown rule kind " + rule.kind());
        }
        return out;
    }

    private static Box box(int rule, boolean[][] sets) {
        int[] constrained =
                java.util.stream.IntStream.range(0, sets.length)
                        .filter(l -> sets[l] != null)
                        .toArray();
        return new Box(rule, constrained, sets);
    }

    private static boolean[] only(List<LayerSpec> layers, TraitRef ref) {
        boolean[] s = new boolean[layers.get(ref.layer()).traits().size() + 1];
        s[ref.trait() + 1] = true;
        return s;
    }

    /** Every trait of the layer, and none when {@code withNone}. */
    private static boolean[] all(List<LayerSpec> layers, int layer, boolean withNone) {
        boolean[] s = new boolean[layers.get(layer).traits().size() + 1];
        Arrays.fill(s, true);
        s[0] = withNone;
        return s;
    }

    /** The layers the rules are over. */
    public List<LayerSpec> layers() {
        return layers;
    }

    /** Whether there are no rules at all. */
    public boolean isEmpty() {
        return boxes.length == 0;
    }

    /** Whether {@code choice} (a trait index or -1) can ever be drawn in {@code layer}. */
    public boolean inDomain(int layer, int choice) {
        return choice + 1 < domain[layer].length && domain[layer][choice + 1];
    }

    /**
     * Whether a full combination (one choice per layer, -1 for none) breaks no rule. Choices
     * outside the domain are not checked here.
     */
    public boolean allows(int[] choices) {
        for (Box b : boxes) {
            if (inside(b, choices)) {
                return false;
            }
        }
        return true;
    }

    /** The indexes of the rules a combination breaks, ascending, without repeats. */
    public List<Integer> broken(int[] choices) {
        List<Integer> out = new ArrayList<>();
        for (Box b : boxes) {
            if (inside(b, choices) && !out.contains(b.rule())) {
                out.add(b.rule());
            }
        }
        return out;
    }

    private static boolean inside(Box b, int[] choices) {
        for (int l : b.constrained()) {
            if (!b.sets()[l][choices[l] + 1]) {
                return false;
            }
        }
        return true;
    }

    /** A restriction that restricts nothing (one {@code null} per layer), to fill in. */
    public boolean[][] unrestricted() {
        return new boolean[layers.size()][];
    }

    /** A restriction with {@code layer} fixed to {@code choice} and the other layers free. */
    public boolean[][] fixed(int layer, int choice) {
        boolean[][] r = unrestricted();
        r[layer] = new boolean[domain[layer].length];
        r[layer][choice + 1] = true;
        return r;
    }

    /** The number of allowed combinations of the domain. */
    public BigInteger count() {
        return count(unrestricted());
    }

    /**
     * The exact number of allowed combinations whose choice in each layer {@code l} is in the
     * domain and, when {@code restriction[l]} is not {@code null}, in {@code restriction[l]}
     * (indexed by {@code choice + 1}).
     */
    public BigInteger count(boolean[][] restriction) {
        Map<Mask, BigInteger> states = new HashMap<>();
        long[] all = new long[words];
        for (int b = 0; b < boxes.length; b++) {
            all[b >>> 6] |= 1L << b;
        }
        states.put(new Mask(all), BigInteger.ONE);
        for (int l = 0; l < layers.size() && !states.isEmpty(); l++) {
            // Group the layer's choices by the boxes (constrained here) that contain them.
            Map<Mask, Long> groups = new HashMap<>();
            boolean[] d = domain[l];
            boolean[] r = restriction[l];
            for (int slot = 0; slot < d.length; slot++) {
                if (!d[slot] || (r != null && (slot >= r.length || !r[slot]))) {
                    continue;
                }
                long[] sig = new long[words];
                for (int b : boxesAt[l]) {
                    if (boxes[b].sets()[l][slot]) {
                        sig[b >>> 6] |= 1L << b;
                    }
                }
                groups.merge(new Mask(sig), 1L, Long::sum);
            }
            Map<Mask, BigInteger> next = new HashMap<>();
            long[] at = atMask[l];
            long[] last = lastMask[l];
            for (Map.Entry<Mask, BigInteger> s : states.entrySet()) {
                long[] mask = s.getKey().bits;
                for (Map.Entry<Mask, Long> g : groups.entrySet()) {
                    long[] sig = g.getKey().bits;
                    long[] nm = new long[words];
                    boolean broken = false;
                    for (int w = 0; w < words; w++) {
                        nm[w] = mask[w] & ~(at[w] & ~sig[w]);
                        if ((nm[w] & last[w]) != 0) {
                            broken = true;
                            break;
                        }
                    }
                    if (!broken) {
                        next.merge(
                                new Mask(nm),
                                s.getValue().multiply(BigInteger.valueOf(g.getValue())),
                                BigInteger::add);
                    }
                }
            }
            states = next;
        }
        BigInteger total = BigInteger.ZERO;
        for (BigInteger c : states.values()) {
            total = total.add(c);
        }
        return total;
    }

    /** A set of boxes as map key. */
    private static final class Mask {
        final long[] bits;
        final int hash;

        Mask(long[] bits) {
            this.bits = bits;
            this.hash = Arrays.hashCode(bits);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mask m && Arrays.equals(bits, m.bits);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
