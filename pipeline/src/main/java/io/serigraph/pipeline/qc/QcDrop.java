package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The drop the checks run on: its spec, plan and decoded trait layers, and, for {@link
 * QcCheck.Scope#SET} checks, every token's image SHA-256 and perceptual hash.
 */
public final class QcDrop {
    private final CollectionSpec spec;
    private final Plan plan;
    private final TraitLibrary library;
    private final Map<String, Integer> shaCounts = new HashMap<>();
    private long[] ids = new long[0];
    private long[] phashes = new long[0];
    private String[] shas = new String[0];

    public QcDrop(CollectionSpec spec, Plan plan, TraitLibrary library) {
        this.spec = spec;
        this.plan = plan;
        this.library = library;
    }

    public CollectionSpec spec() {
        return spec;
    }

    public Plan plan() {
        return plan;
    }

    public TraitLibrary library() {
        return library;
    }

    /**
     * Whether token {@code id} is a one-of-one: its image and attributes are its own, not drawn
     * from the layers, so the checks that compare the layers with the plan leave it out.
     */
    public boolean isOneOfOne(long id) {
        return plan.isOneOfOne((int) (id - plan.startId()));
    }

    /** Sets every token's hashes, in plan order. */
    void setHashes(List<Long> tokenIds, long[] phash, String[] sha256) {
        ids = tokenIds.stream().mapToLong(Long::longValue).toArray();
        phashes = phash.clone();
        shas = sha256.clone();
        shaCounts.clear();
        for (String s : shas) {
            shaCounts.merge(s, 1, Integer::sum);
        }
    }

    /** How many tokens have an image with this SHA-256. */
    public int imagesWithSha256(String sha256) {
        return shaCounts.getOrDefault(sha256, 0);
    }

    /**
     * The smallest pHash distance from token {@code id} to a token with a different image (64 when
     * there is none).
     */
    public int nearestDistance(long id) {
        int self = indexOf(id);
        int best = 64;
        for (int i = 0; i < ids.length; i++) {
            if (i != self && !shas[i].equals(shas[self])) {
                best = Math.min(best, PerceptualHash.distance(phashes[self], phashes[i]));
            }
        }
        return best;
    }

    /**
     * How far the share of tokens with trait {@code trait} of layer {@code layer} ({@code -1}: no
     * trait) is from the share the spec's weights ask for, in standard errors of a multinomial draw
     * of the plan's size: |observed - p| / sqrt(p (1 - p) / n). One-of-ones are not drawn from the
     * weights and are left out: {@code n} and the observed shares count the generative tokens.
     */
    public synchronized double drift(int layer, int trait) {
        if (drift == null) {
            drift = computeDrift();
        }
        return drift[layer][trait + 1];
    }

    private double[][] drift;

    private double[][] computeDrift() {
        var layers = spec.layers();
        double[][] z = new double[layers.size()][];
        int n = 0;
        for (int i = 0; i < plan.size(); i++) {
            if (!plan.isOneOfOne(i)) {
                n++;
            }
        }
        for (int l = 0; l < layers.size(); l++) {
            var layer = layers.get(l);
            int traits = layer.traits().size();
            double[] weights = new double[traits + 1];
            double total = 0;
            if (layer.optional()) {
                weights[0] = layer.noneWeight().doubleValue();
                total += weights[0];
            }
            for (int t = 0; t < traits; t++) {
                weights[t + 1] = layer.traits().get(t).weight().doubleValue();
                total += weights[t + 1];
            }
            int[] counts = new int[traits + 1];
            for (int i = 0; i < plan.size(); i++) {
                if (!plan.isOneOfOne(i)) {
                    counts[plan.choice(i, l) + 1]++;
                }
            }
            z[l] = new double[traits + 1];
            for (int t = 0; t <= traits; t++) {
                double p = weights[t] / total;
                double observed = n == 0 ? p : (double) counts[t] / n;
                double se = Math.sqrt(p * (1 - p) / n);
                z[l][t] =
                        se == 0
                                ? (observed == p ? 0 : Double.POSITIVE_INFINITY)
                                : Math.abs(observed - p) / se;
            }
        }
        return z;
    }

    private int indexOf(long id) {
        int i = (int) (id - plan.startId());
        if (i < 0 || i >= ids.length || ids[i] != id) {
            throw new IllegalArgumentException("token " + id + " has no hashes");
        }
        return i;
    }
}
