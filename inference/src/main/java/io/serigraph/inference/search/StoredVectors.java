package io.serigraph.inference.search;

import io.serigraph.inference.clip.Embeddings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embeddings of a {@link VectorIndex}, normalized on entry and kept in one contiguous array,
 * with their ids in insertion order (the ordinal). Not thread-safe for concurrent adds.
 */
final class StoredVectors {
    private final int dimension;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Integer> ordinals = new HashMap<>();
    private float[] data = new float[0];

    StoredVectors(int dimension) {
        this.dimension = dimension;
    }

    int dimension() {
        return dimension;
    }

    int size() {
        return ids.size();
    }

    String id(int ordinal) {
        return ids.get(ordinal);
    }

    /** The ordinal of {@code id}. */
    int ordinal(String id) {
        Integer i = ordinals.get(id);
        if (i == null) {
            throw new IllegalArgumentException("id " + id + " is not in the index");
        }
        return i;
    }

    /**
     * Checks and stores {@code embedding} under the new {@code id}.
     *
     * @return the normalized embedding stored
     */
    float[] add(String id, float[] embedding) {
        if (embedding.length != dimension) {
            throw new IllegalArgumentException(
                    id
                            + ": embedding has "
                            + embedding.length
                            + " values, index takes "
                            + dimension);
        }
        if (ordinals.containsKey(id)) {
            throw new IllegalArgumentException("id " + id + " is already in the index");
        }
        float[] v = Embeddings.normalize(embedding);
        int n = ids.size();
        if ((n + 1) * dimension > data.length) {
            data = Arrays.copyOf(data, Math.max(dimension * 16, data.length * 2));
        }
        System.arraycopy(v, 0, data, n * dimension, dimension);
        ids.add(id);
        ordinals.put(id, n);
        return v;
    }

    /** A copy of the stored embedding at {@code ordinal}. */
    float[] embedding(int ordinal) {
        return Arrays.copyOfRange(data, ordinal * dimension, (ordinal + 1) * dimension);
    }

    /** A query of the right length, normalized. */
    float[] query(float[] query) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " values");
        }
        return Embeddings.normalize(query);
    }

    double dot(int i, float[] q) {
        double s = 0;
        int o = i * dimension;
        for (int d = 0; d < dimension; d++) {
            s += (double) data[o + d] * q[d];
        }
        return s;
    }

    double dot(int i, int j) {
        double s = 0;
        int a = i * dimension;
        int b = j * dimension;
        for (int d = 0; d < dimension; d++) {
            s += (double) data[a + d] * data[b + d];
        }
        return s;
    }
}
