package io.serigraph.inference.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
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

    private final StoredVectors vectors;

    public NearDuplicateIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive");
        }
        this.vectors = new StoredVectors(dimension);
    }

    @Override
    public int dimension() {
        return vectors.dimension();
    }

    @Override
    public int size() {
        return vectors.size();
    }

    @Override
    public float[] embedding(String id) {
        return vectors.embedding(vectors.ordinal(id));
    }

    /** Holds no native or file resources: nothing to release. */
    @Override
    public void close() {}

    /** Stores {@code embedding} under {@code id} (a new id; ids are unique). */
    @Override
    public void add(String id, float[] embedding) {
        vectors.add(id, embedding);
    }

    /** The {@code k} most similar stored embeddings, most similar first (ties by insertion). */
    @Override
    public List<Match> nearest(float[] query, int k) {
        float[] q = vectors.query(query);
        int n = vectors.size();
        double[] scores = new double[n];
        PriorityQueue<Integer> heap =
                new PriorityQueue<>(
                        (a, b) -> {
                            int c = Double.compare(scores[a], scores[b]);
                            return c != 0 ? c : Integer.compare(b, a);
                        });
        for (int i = 0; i < n; i++) {
            scores[i] = vectors.dot(i, q);
            heap.add(i);
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<Match> out = new ArrayList<>(heap.size());
        while (!heap.isEmpty()) {
            int i = heap.poll();
            out.add(new Match(vectors.id(i), scores[i]));
        }
        Collections.reverse(out);
        return out;
    }

    /** Every pair with cosine {@code >= minCosine}, most similar first. */
    @Override
    public List<Pair> pairsAtLeast(double minCosine) {
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = i + 1; j < vectors.size(); j++) {
                double c = vectors.dot(i, j);
                if (c >= minCosine) {
                    out.add(new Pair(vectors.id(i), vectors.id(j), c));
                }
            }
        }
        out.sort(Comparator.comparingDouble(Pair::cosine).reversed());
        return out;
    }
}
