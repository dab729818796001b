package io.serigraph.inference.search;

import io.serigraph.inference.clip.Embeddings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Exact near-duplicate search over stored embeddings by cosine similarity: top-k neighbours of a
 * query and every pair at least as similar as a threshold. Embeddings are normalized on entry and
 * kept in one contiguous array. Not thread-safe for concurrent adds. For sets larger than {@link
 * VectorIndex#EXACT_LIMIT}, {@link HnswIndex} answers the same questions approximately.
 */
public final class NearDuplicateIndex implements VectorIndex {
    /** A stored embedding and its similarity to the query. */
    public record Match(String id, double cosine) {}

    /** Two stored embeddings (in insertion order) and their similarity. */
    public record Pair(String first, String second, double cosine) {}

    private final int dimension;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private float[] data = new float[0];

    public NearDuplicateIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive");
        }
        this.dimension = dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int size() {
        return ids.size();
    }

    @Override
    public float[] embedding(String id) {
        Integer i = index.get(id);
        if (i == null) {
            throw new IllegalArgumentException("id " + id + " is not in the index");
        }
        return Arrays.copyOfRange(data, i * dimension, (i + 1) * dimension);
    }

    /** Holds no native or file resources: nothing to release. */
    @Override
    public void close() {}

    /** Stores {@code embedding} under {@code id} (a new id; ids are unique). */
    @Override
    public void add(String id, float[] embedding) {
        if (embedding.length != dimension) {
            throw new IllegalArgumentException(
                    id
                            + ": embedding has "
                            + embedding.length
                            + " values, index takes "
                            + dimension);
        }
        if (index.containsKey(id)) {
            throw new IllegalArgumentException("id " + id + " is already in the index");
        }
        int n = ids.size();
        if ((n + 1) * dimension > data.length) {
            data = Arrays.copyOf(data, Math.max(dimension * 16, data.length * 2));
        }
        System.arraycopy(Embeddings.normalize(embedding), 0, data, n * dimension, dimension);
        ids.add(id);
        index.put(id, n);
    }

    private double dot(int i, float[] q) {
        double s = 0;
        int o = i * dimension;
        for (int d = 0; d < dimension; d++) {
            s += (double) data[o + d] * q[d];
        }
        return s;
    }

    private double dot(int i, int j) {
        double s = 0;
        int a = i * dimension;
        int b = j * dimension;
        for (int d = 0; d < dimension; d++) {
            s += (double) data[a + d] * data[b + d];
        }
        return s;
    }

    /** The {@code k} most similar stored embeddings, most similar first (ties by insertion). */
    @Override
    public List<Match> nearest(float[] query, int k) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " values");
        }
        float[] q = Embeddings.normalize(query);
        double[] scores = new double[ids.size()];
        PriorityQueue<Integer> heap =
                new PriorityQueue<>(
                        (a, b) -> {
                            int c = Double.compare(scores[a], scores[b]);
                            return c != 0 ? c : Integer.compare(b, a);
                        });
        for (int i = 0; i < ids.size(); i++) {
            scores[i] = dot(i, q);
            heap.add(i);
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<Match> out = new ArrayList<>(heap.size());
        while (!heap.isEmpty()) {
            int i = heap.poll();
            out.add(new Match(ids.get(i), scores[i]));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** Every pair with cosine {@code >= minCosine}, most similar first. */
    @Override
    public List<Pair> pairsAtLeast(double minCosine) {
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                double c = dot(i, j);
                if (c >= minCosine) {
                    out.add(new Pair(ids.get(i), ids.get(j), c));
                }
            }
        }
        out.sort(Comparator.comparingDouble(Pair::cosine).reversed());
        return out;
    }
}
