package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.OneOfOneSpec;
import io.serigraph.pipeline.spec.QuotaSpec;
import io.serigraph.pipeline.spec.RuleSet;
import io.serigraph.pipeline.spec.RuleSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.TraitSpec;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The planner for specs with rules, quotas or one-of-ones (algorithm specified in {@code
 * docs/planner.md}): one-of-ones at seeded positions; exact quotas dealt from shuffled per-layer
 * decks, re-dealt by swaps until every quota pattern fits its allowed combinations; then every
 * generative token drawn by weight in id order, re-drawn while it breaks a rule or repeats a DNA,
 * and scanned to the next allowed unused combination of its pattern after {@link Planner#MAX_DRAWS}
 * draws. Only the first draws (independent per token) run on several threads, so the plan never
 * depends on the thread count.
 */
final class ConstrainedPlanner {
    static final String ONE_OF_ONES_TAG = "serigraph.one-of-ones";
    static final String DECK_TAG = "serigraph.deck";

    private final CollectionSpec spec;
    private final List<LayerSpec> layers;
    private final WeightedLayer[] weighted;
    private final RuleSet rules;
    private final TokenKey key;
    private final int scanIndexMax;
    private final int size;

    /** Per layer: quota traits ascending (pattern digit k + 1 is quotaTraits[l][k]); or empty. */
    private final int[][] quotaTraits;

    /** Per layer with quotas: its weights with the quota traits at 0, or null (nothing else). */
    private final WeightedLayer[] free;

    private final int[] quotaLayers;
    private final long[] radix;

    private final int threads;

    ConstrainedPlanner(
            CollectionSpec spec,
            WeightedLayer[] weighted,
            TokenKey key,
            int scanIndexMax,
            int threads) {
        this.threads = threads;
        this.spec = spec;
        this.layers = spec.layers();
        this.weighted = weighted;
        this.rules = RuleSet.of(layers, spec.rules());
        this.key = key;
        this.scanIndexMax = scanIndexMax;
        this.size = spec.size();
        int n = layers.size();
        quotaTraits = new int[n][];
        free = new WeightedLayer[n];
        List<Integer> ql = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            TreeSet<Integer> ts = new TreeSet<>();
            for (QuotaSpec q : spec.quotas()) {
                if (q.trait().layer() == l) {
                    ts.add(q.trait().trait());
                }
            }
            quotaTraits[l] = ts.stream().mapToInt(Integer::intValue).toArray();
            if (!ts.isEmpty()) {
                ql.add(l);
                free[l] = freeLayer(layers.get(l), ts);
            }
        }
        quotaLayers = ql.stream().mapToInt(Integer::intValue).toArray();
        radix = new long[quotaLayers.length];
        long patterns = 1;
        for (int i = 0; i < quotaLayers.length; i++) {
            radix[i] = quotaTraits[quotaLayers[i]].length + 1L;
            if (patterns > Long.MAX_VALUE / radix[i]) {
                throw new PlanException("too many quotas: more than 2^63 quota patterns");
            }
            patterns *= radix[i];
        }
    }

    /** The layer with its quota traits weighted 0; null when nothing else can be drawn. */
    static WeightedLayer freeLayer(LayerSpec layer, Set<Integer> quota) {
        List<TraitSpec> traits = new ArrayList<>(layer.traits());
        boolean any = layer.optional();
        for (int t = 0; t < traits.size(); t++) {
            if (quota.contains(t)) {
                TraitSpec s = traits.get(t);
                traits.set(t, new TraitSpec(s.name(), java.math.BigDecimal.ZERO, s.file()));
            } else {
                any |= traits.get(t).weight().signum() > 0;
            }
        }
        if (!any) {
            return null;
        }
        return WeightedLayer.of(
                new LayerSpec(layer.name(), layer.dir(), traits, layer.noneWeight(), layer.line()));
    }

    Plan plan(byte[] hash) {
        int n = layers.size();
        int maxTraits = layers.stream().mapToInt(l -> l.traits().size()).max().orElse(0);
        ChoiceTable table = new ChoiceTable(size, n, maxTraits);
        List<OneOfOneSpec> ones = spec.oneOfOnes();
        int[] oneRows = oneOfOneRows(ones.size());
        boolean[] isOne = new boolean[size];
        DnaSet taken = new DnaSet(table, size);
        int[] scratch = new int[n];
        List<Integer> blocked = new ArrayList<>();
        for (int j = 0; j < ones.size(); j++) {
            int row = oneRows[j];
            isOne[row] = true;
            for (int l = 0; l < n; l++) {
                scratch[l] = ones.get(j).choices().get(l);
                table.set(row, l, scratch[l]);
            }
            if (ones.get(j).combination() && rules.allows(scratch)) {
                taken.add(row); // the generative tokens may not repeat it
                blocked.add(row);
            }
        }
        int g = size - ones.size();
        int[] genRows = new int[g];
        for (int row = 0, i = 0; row < size; row++) {
            if (!isOne[row]) {
                genRows[i++] = row;
            }
        }
        int[][] decks = deal(g, ones);
        Map<Long, Long> capacity = new HashMap<>();
        rebalance(decks, g, capacity, ones);

        Drawer drawer = new Drawer(table, n);
        Combinations scan =
                quotaLayers.length == 0
                        ? new Combinations(
                                weighted,
                                table,
                                taken,
                                SpecLoader.combinations(layers)
                                        .min(BigInteger.valueOf(Long.MAX_VALUE))
                                        .longValue(),
                                scanIndexMax,
                                rules)
                        : null;
        if (scan != null) {
            scan.skipRows(isOne, blocked.stream().mapToInt(Integer::intValue).toArray());
        }
        drawFirstAttempts(table, genRows, decks);
        int[] fixed = new int[n];
        for (int i = 0; i < g; i++) {
            int row = genRows[i];
            fixed(decks, i, fixed);
            for (int l = 0; l < n; l++) {
                scratch[l] = table.get(row, l);
            }
            boolean done = rules.allows(scratch) && taken.add(row);
            for (int attempt = 1; attempt < Planner.MAX_DRAWS && !done; attempt++) {
                drawer.draw(row, attempt, fixed);
                done = drawer.allowed(row) && taken.add(row);
            }
            if (!done) {
                if (scan != null) {
                    scan.nextUnusedAfter(row, row);
                } else {
                    restrictedWalk(table, taken, row, fixed);
                }
            }
            if (scan != null) {
                scan.used(row);
            }
        }
        return new Plan(hash, spec.startId(), size, layers, table, oneRows, ones);
    }

    /** The choices the decks fix for generative token {@code i} ({@code MIN_VALUE}: drawn). */
    private void fixed(int[][] decks, int i, int[] fixed) {
        Arrays.fill(fixed, Integer.MIN_VALUE);
        for (int q = 0; q < quotaLayers.length; q++) {
            int d = decks[q][i];
            if (d > 0) {
                fixed[quotaLayers[q]] = quotaTraits[quotaLayers[q]][d - 1];
            }
        }
    }

    /**
     * Attempt 0 of every generative token into the table. Each depends only on its token's stream
     * and deck entries, so any split over threads gives the same table; collisions and rules are
     * then resolved in id order.
     */
    private void drawFirstAttempts(ChoiceTable table, int[] genRows, int[][] decks) {
        int g = genRows.length;
        int chunk = 1 << 14;
        int chunks = (g + chunk - 1) / chunk;
        int workers = Math.min(threads, chunks);
        java.util.function.IntConsumer work =
                c -> {
                    Drawer d = new Drawer(table, layers.size());
                    int[] fixed = new int[layers.size()];
                    for (int i = c * chunk; i < Math.min(g, (c + 1) * chunk); i++) {
                        fixed(decks, i, fixed);
                        d.draw(genRows[i], 0, fixed);
                    }
                };
        if (workers <= 1) {
            for (int c = 0; c < chunks; c++) {
                work.accept(c);
            }
            return;
        }
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(
                        workers,
                        r -> {
                            Thread t = new Thread(r, "serigraph-planner");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int chunkIndex = c;
                futures.add(pool.submit(() -> work.accept(chunkIndex)));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("planning was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Rows of the one-of-ones: a partial Fisher-Yates shuffle of {@code 0 .. size-1} with the side
     * stream ("serigraph.one-of-ones", 0): for {@code j = 0 .. k-1}, swap position {@code j} with
     * {@code j + uniform(size - j)}; one-of-one {@code j} takes position {@code j}'s row.
     */
    private int[] oneOfOneRows(int k) {
        SplitMix64 rng = new SplitMix64(key.sideSeed(ONE_OF_ONES_TAG, 0));
        Map<Integer, Integer> perm = new HashMap<>();
        int[] rows = new int[k];
        for (int j = 0; j < k; j++) {
            int r = j + (int) rng.nextBounded(size - j);
            int atJ = perm.getOrDefault(j, j);
            int atR = perm.getOrDefault(r, r);
            perm.put(j, atR);
            perm.put(r, atJ);
            rows[j] = atR;
        }
        return rows;
    }

    /**
     * Per quota layer, the pattern digit of every generative token: {@code need} copies of digit
     * {@code k + 1} for its k-th quota trait (ascending trait index), then 0 ("free") for the rest,
     * shuffled by Fisher-Yates with the side stream ("serigraph.deck", layer index).
     */
    private int[][] deal(int g, List<OneOfOneSpec> ones) {
        int[][] decks = new int[quotaLayers.length][];
        for (int q = 0; q < quotaLayers.length; q++) {
            int l = quotaLayers[q];
            int[] deck = new int[g];
            int at = 0;
            for (int k = 0; k < quotaTraits[l].length; k++) {
                int t = quotaTraits[l][k];
                int need = 0;
                for (QuotaSpec qs : spec.quotas()) {
                    if (qs.trait().layer() == l && qs.trait().trait() == t) {
                        need = qs.count();
                    }
                }
                for (OneOfOneSpec o : ones) {
                    if (o.choices().get(l) == t) {
                        need--;
                    }
                }
                if (need < 0 || at + need > g) {
                    throw new PlanException(
                            "the quotas of layer '"
                                    + layers.get(l).name()
                                    + "' do not fit the "
                                    + g
                                    + " generative tokens",
                            layers.get(l).name());
                }
                Arrays.fill(deck, at, at + need, k + 1);
                at += need;
            }
            if (at < g && free[l] == null) {
                throw new PlanException(
                        "the quotas of layer '"
                                + layers.get(l).name()
                                + "' leave tokens that no other trait can take",
                        layers.get(l).name());
            }
            SplitMix64 rng = new SplitMix64(key.sideSeed(DECK_TAG, l));
            for (int i = g - 1; i > 0; i--) {
                int j = (int) rng.nextBounded(i + 1L);
                int t = deck[i];
                deck[i] = deck[j];
                deck[j] = t;
            }
            decks[q] = deck;
        }
        return decks;
    }

    private long pattern(int[][] decks, int i) {
        long p = 0;
        for (int q = 0; q < quotaLayers.length; q++) {
            p = p * radix[q] + decks[q][i];
        }
        return p;
    }

    /** Restriction of a pattern: quota layers fixed to a quota trait, or to the other choices. */
    private boolean[][] restriction(long pattern) {
        boolean[][] r = rules.unrestricted();
        for (int q = quotaLayers.length - 1; q >= 0; q--) {
            int d = (int) (pattern % radix[q]);
            pattern /= radix[q];
            int l = quotaLayers[q];
            boolean[] s = new boolean[layers.get(l).traits().size() + 1];
            if (d > 0) {
                s[quotaTraits[l][d - 1] + 1] = true;
            } else {
                Arrays.fill(s, true);
                for (int t : quotaTraits[l]) {
                    s[t + 1] = false;
                }
            }
            r[l] = s;
        }
        return r;
    }

    /** Allowed combinations of a pattern not taken by one-of-ones (memoized). */
    private long capacity(long pattern, Map<Long, Long> memo, List<OneOfOneSpec> ones) {
        Long c = memo.get(pattern);
        if (c == null) {
            boolean[][] r = restriction(pattern);
            BigInteger n = rules.count(r);
            int[] choice = new int[layers.size()];
            for (OneOfOneSpec o : ones) {
                if (!o.combination()) {
                    continue;
                }
                boolean in = true;
                for (int l = 0; l < choice.length; l++) {
                    choice[l] = o.choices().get(l);
                    in &= r[l] == null || r[l][choice[l] + 1];
                }
                if (in && rules.allows(choice)) {
                    n = n.subtract(BigInteger.ONE);
                }
            }
            c = n.min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
            memo.put(pattern, c);
        }
        return c;
    }

    /**
     * Swaps deck entries until no pattern has more tokens than allowed unused combinations: for
     * each token in order whose pattern is over, the first partner {@code h = i+1, i+2, ...}
     * (wrapping) and quota layer (bottom first) whose swap leaves both new patterns within
     * capacity.
     */
    private void rebalance(int[][] decks, int g, Map<Long, Long> memo, List<OneOfOneSpec> ones) {
        if (quotaLayers.length == 0) {
            return;
        }
        Map<Long, Integer> rows = new HashMap<>();
        long[] pat = new long[g];
        for (int i = 0; i < g; i++) {
            pat[i] = pattern(decks, i);
            rows.merge(pat[i], 1, Integer::sum);
        }
        for (int i = 0; i < g; i++) {
            if (rows.get(pat[i]) <= capacity(pat[i], memo, ones)) {
                continue;
            }
            boolean moved = false;
            for (int off = 1; off < g && !moved; off++) {
                int h = (i + off) % g;
                for (int q = 0; q < quotaLayers.length && !moved; q++) {
                    if (decks[q][i] == decks[q][h]) {
                        continue;
                    }
                    swap(decks[q], i, h);
                    long pi = pattern(decks, i);
                    long ph = pattern(decks, h);
                    rows.merge(pat[i], -1, Integer::sum);
                    rows.merge(pat[h], -1, Integer::sum);
                    rows.merge(pi, 1, Integer::sum);
                    rows.merge(ph, 1, Integer::sum);
                    if (rows.get(pi) <= capacity(pi, memo, ones)
                            && rows.get(ph) <= capacity(ph, memo, ones)) {
                        pat[i] = pi;
                        pat[h] = ph;
                        moved = true;
                    } else {
                        rows.merge(pi, -1, Integer::sum);
                        rows.merge(ph, -1, Integer::sum);
                        rows.merge(pat[i], 1, Integer::sum);
                        rows.merge(pat[h], 1, Integer::sum);
                        swap(decks[q], i, h);
                    }
                }
            }
            if (!moved) {
                throw new PlanException(
                        "the quotas ("
                                + lines(spec.quotas().stream().map(QuotaSpec::line).toList())
                                + ") cannot all be met together with the rules ("
                                + lines(spec.rules().stream().map(RuleSpec::line).toList())
                                + ") and size "
                                + size
                                + ": too few allowed unique combinations have the traits the"
                                + " quotas ask for together (lower a quota or relax a rule)");
            }
        }
    }

    private static String lines(List<Integer> lines) {
        return lines.isEmpty()
                ? "none"
                : "lines " + lines.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /**
     * The scan for a token with quota layers: counting up in mixed radix over the pattern's choices
     * (fixed layers one digit; free quota layers their non-quota choices; other layers their
     * allowed choices; bottom layer most significant) from the last drawn combination, wrapping, to
     * the first combination that breaks no rule and is unused.
     */
    private void restrictedWalk(ChoiceTable table, DnaSet taken, int row, int[] fixed) {
        int n = layers.size();
        int[][] digits = new int[n][];
        int[] pos = new int[n];
        BigInteger space = BigInteger.ONE;
        for (int l = 0; l < n; l++) {
            if (fixed[l] != Integer.MIN_VALUE) {
                digits[l] = new int[] {fixed[l]};
            } else {
                WeightedLayer w = quotaTraits[l].length > 0 ? free[l] : weighted[l];
                digits[l] = new int[w.radix()];
                for (int d = 0; d < w.radix(); d++) {
                    digits[l][d] = w.choiceOf(d);
                }
            }
            int current = table.get(row, l);
            for (int d = 0; d < digits[l].length; d++) {
                if (digits[l][d] == current) {
                    pos[l] = d;
                }
            }
            space = space.multiply(BigInteger.valueOf(digits[l].length));
        }
        int[] choice = new int[n];
        long limit = space.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        for (long k = 0; k < limit; k++) {
            for (int l = n - 1; l >= 0; l--) {
                if (++pos[l] < digits[l].length) {
                    break;
                }
                pos[l] = 0;
            }
            for (int l = 0; l < n; l++) {
                choice[l] = digits[l][pos[l]];
                table.set(row, l, choice[l]);
            }
            if (rules.allows(choice) && taken.add(row)) {
                return;
            }
        }
        throw new IllegalStateException("no unused allowed combination left for token row " + row);
    }

    /** Draws a token's free layers from its stream. */
    private final class Drawer {
        private final ChoiceTable table;
        private final MessageDigest sha = PlanHash.sha256();
        private final byte[] scratch = new byte[12];
        private final SplitMix64 rng = new SplitMix64(0);
        private final int[] choice;

        Drawer(ChoiceTable table, int n) {
            this.table = table;
            this.choice = new int[n];
        }

        void draw(int row, int attempt, int[] fixed) {
            rng.reseed(key.streamSeed(sha, scratch, spec.startId() + row, attempt));
            for (int l = 0; l < choice.length; l++) {
                if (fixed[l] != Integer.MIN_VALUE) {
                    choice[l] = fixed[l];
                } else if (quotaTraits[l].length > 0) {
                    choice[l] = free[l].draw(rng);
                } else {
                    choice[l] = weighted[l].draw(rng);
                }
                table.set(row, l, choice[l]);
            }
        }

        boolean allowed(int row) {
            return rules.allows(choice);
        }
    }
}
