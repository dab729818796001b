package io.serigraph.pipeline.qc;

import io.serigraph.inference.clip.Embeddings;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import java.util.Arrays;
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
    private float[][] embeddings;
    private double[] aesthetics;
    private double[] alignments;
    private double[] clipNearest;

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

    /**
     * Sets every token's stored model scores, in plan order (after {@link #setHashes}).
     *
     * @param prompt the prompt's text embedding, or {@code null} when no prompt is configured
     */
    synchronized void setScores(float[][] embedding, double[] aesthetic, float[] prompt) {
        embeddings = embedding.clone();
        aesthetics = aesthetic.clone();
        alignments = new double[embedding.length];
        for (int i = 0; i < embedding.length; i++) {
            alignments[i] =
                    prompt == null
                            ? Double.NaN
                            : CLIP_SCORE_WEIGHT * Math.max(Embeddings.dot(embedding[i], prompt), 0);
        }
        clipNearest = null;
    }

    /** CLIPScore's weight: {@code 2.5 * max(cos, 0)} (Hessel et al. 2021). */
    public static final double CLIP_SCORE_WEIGHT = 2.5;

    /**
     * Tokens whose pHashes differ in at most this many of 64 bits are compared by CLIP embedding
     * ({@link #clipNearestDistance}); farther ones are not near duplicates.
     */
    public static final int CLIP_PREFILTER_BITS = 24;

    /** The token's aesthetic score ({@code NaN} when the model has no aesthetic head). */
    public synchronized double aesthetic(long id) {
        requireScores();
        return aesthetics[indexOf(id)];
    }

    /** The token's CLIPScore against the configured prompt, {@code 2.5 * max(cos, 0)}. */
    public synchronized double promptAlignment(long id) {
        requireScores();
        return alignments[indexOf(id)];
    }

    /**
     * The smallest CLIP cosine distance {@code 1 - cos} from token {@code id} to a token with a
     * different image whose pHash is within {@link #CLIP_PREFILTER_BITS} bits (2 when there is
     * none).
     */
    public synchronized double clipNearestDistance(long id) {
        requireScores();
        if (clipNearest == null) {
            clipNearest = new double[ids.length];
            Arrays.fill(clipNearest, 2.0);
            for (int i = 0; i < ids.length; i++) {
                for (int j = i + 1; j < ids.length; j++) {
                    if (shas[i].equals(shas[j])
                            || PerceptualHash.distance(phashes[i], phashes[j])
                                    > CLIP_PREFILTER_BITS) {
                        continue;
                    }
                    double d = 1 - Embeddings.dot(embeddings[i], embeddings[j]);
                    clipNearest[i] = Math.min(clipNearest[i], d);
                    clipNearest[j] = Math.min(clipNearest[j], d);
                }
            }
        }
        return clipNearest[indexOf(id)];
    }

    private void requireScores() {
        if (embeddings == null) {
            throw new IllegalStateException("the model checks run only with qc.model set");
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
