package io.serigraph.inference.search;

import io.serigraph.inference.search.NearDuplicateIndex.Match;
import io.serigraph.inference.search.NearDuplicateIndex.Pair;
import java.util.List;

/**
 * Cosine-similarity search over stored embeddings: top-k neighbours of a query and pairs at least
 * as similar as a threshold. {@link NearDuplicateIndex} answers exactly; {@link HnswIndex} answers
 * approximately from Lucene's HNSW graph, for sets too large to compare every pair. {@link
 * #forSize} picks one by collection size. Not thread-safe for concurrent adds; close to release
 * what the index holds.
 */
public interface VectorIndex extends AutoCloseable {
    /** Up to this many embeddings, {@link #forSize} picks the exact index. */
    int EXACT_LIMIT = 10_000;

    /** The exact index for up to {@link #EXACT_LIMIT} embeddings, else an HNSW index. */
    static VectorIndex forSize(int dimension, int expectedSize) {
        return expectedSize <= EXACT_LIMIT
                ? new NearDuplicateIndex(dimension)
                : HnswIndex.builder(dimension).build();
    }

    /** The embedding length the index takes. */
    int dimension();

    int size();

    /** Stores {@code embedding} (normalized on entry) under a new id. */
    void add(String id, float[] embedding);

    /** The {@code k} most similar stored embeddings, most similar first. */
    List<Match> nearest(float[] query, int k);

    /** Pairs with cosine {@code >= minCosine}, most similar first. */
    List<Pair> pairsAtLeast(double minCosine);

    /** The stored (normalized) embedding of {@code id}. */
    float[] embedding(String id);

    @Override
    void close();
}
