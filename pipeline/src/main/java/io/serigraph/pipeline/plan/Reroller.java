package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.QuotaSpec;
import io.serigraph.pipeline.spec.RuleSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Re-plans one token after a reviewer asked for a re-roll: new traits drawn deterministically from
 * a sub-seed of (collection key, token id, re-roll round), keeping every DNA of the drop unique and
 * the spec's rules and exact quotas satisfied. Specified in {@code docs/determinism.md}
 * ("Re-rolls"), with a test vector.
 *
 * <p>Per layer, bottom to top: a layer whose current choice is a trait with an exact quota keeps it
 * (so every quota's count is unchanged) and draws nothing; a layer with quotas otherwise draws from
 * its weights with the quota traits weighted 0 (keeping its choice when nothing else is left); any
 * other layer draws from its weights. A draw is taken when its DNA differs from every token of the
 * drop (this token's current DNA included) and it breaks no rule; otherwise the next attempt is
 * drawn, up to {@link #MAX_DRAWS}.
 */
public final class Reroller {
    /** Draws per re-roll before giving up. */
    public static final int MAX_DRAWS = 256;

    private final List<LayerSpec> layers;
    private final TokenKey key;
    private final RuleSet rules;
    private final WeightedLayer[] weighted;
    private final boolean[] hasQuota;
    private final WeightedLayer[] free; // with the quota traits weighted 0; null: nothing left
    private final boolean[][] quota; // [layer][trait]: an exact quota counts the trait

    /**
     * @param spec the spec {@code plan} was planned from
     * @param plan its plan (the key is derived from its hash and the spec's seed)
     */
    public Reroller(CollectionSpec spec, Plan plan) {
        if (spec.seed() == null) {
            throw new PlanException("the spec has no seed");
        }
        this.layers = spec.layers();
        this.key = TokenKey.derive(plan.hashBytes(), spec.seed());
        this.rules = RuleSet.of(layers, spec.rules());
        int n = layers.size();
        weighted = new WeightedLayer[n];
        free = new WeightedLayer[n];
        hasQuota = new boolean[n];
        quota = new boolean[n][];
        for (int l = 0; l < n; l++) {
            weighted[l] = WeightedLayer.of(layers.get(l));
            quota[l] = new boolean[layers.get(l).traits().size()];
            Set<Integer> traits = new TreeSet<>();
            for (QuotaSpec q : spec.quotas()) {
                if (q.trait().layer() == l) {
                    traits.add(q.trait().trait());
                    quota[l][q.trait().trait()] = true;
                }
            }
            if (!traits.isEmpty()) {
                hasQuota[l] = true;
                free[l] = ConstrainedPlanner.freeLayer(layers.get(l), traits);
            }
        }
    }

    /**
     * The new choices of token {@code tokenId} for re-roll {@code round} (1 for its first re-roll),
     * against {@code current}: the plan as it stands, earlier re-rolls included.
     *
     * @throws PlanException naming the token when it is a one-of-one, or when no draw within {@link
     *     #MAX_DRAWS} keeps the DNA unique, the rules and the quotas
     */
    public int[] reroll(Plan current, long tokenId, int round) {
        if (round < 1) {
            throw new IllegalArgumentException("re-roll rounds start at 1, was " + round);
        }
        if (!current.contains(tokenId)) {
            throw new PlanException("token " + tokenId + ": no such token in the plan");
        }
        int row = (int) (tokenId - current.startId());
        if (current.isOneOfOne(row)) {
            throw new PlanException(
                    "token "
                            + tokenId
                            + " is a one-of-one: its art is its own and cannot be re-rolled;"
                            + " approve or reject it");
        }
        Set<String> taken = new HashSet<>(current.size() * 2);
        for (int i = 0; i < current.size(); i++) {
            taken.add(PlannedToken.dna(choicesOf(current, i)));
        }
        int[] old = choicesOf(current, row);
        int[] next = new int[old.length];
        SplitMix64 rng = new SplitMix64(0);
        for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
            rng.reseed(key.rerollSeed(tokenId, round, attempt));
            for (int l = 0; l < next.length; l++) {
                if (old[l] >= 0 && quota[l][old[l]] || hasQuota[l] && free[l] == null) {
                    next[l] = old[l];
                } else if (hasQuota[l]) {
                    next[l] = free[l].draw(rng);
                } else {
                    next[l] = weighted[l].draw(rng);
                }
            }
            if (rules.allows(next) && !taken.contains(PlannedToken.dna(next))) {
                return next.clone();
            }
        }
        throw new PlanException(
                "token "
                        + tokenId
                        + ": no re-roll found in "
                        + MAX_DRAWS
                        + " draws that keeps every DNA unique and the spec's rules and quotas"
                        + " (the combinations left are too few); approve or reject it instead");
    }

    private static int[] choicesOf(Plan plan, int row) {
        int[] c = new int[plan.layers().size()];
        for (int l = 0; l < c.length; l++) {
            c[l] = plan.choice(row, l);
        }
        return c;
    }
}
