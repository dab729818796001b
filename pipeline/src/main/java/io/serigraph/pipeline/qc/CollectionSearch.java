package io.serigraph.pipeline.qc;

import io.serigraph.inference.search.NearDuplicateIndex;
import io.serigraph.inference.search.VectorIndex;
import io.serigraph.pipeline.store.ScoreStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Curation search over a drop's stored embeddings ({@code serigraph search}): the tokens most
 * similar to a text's or another token's embedding, from an exact index for small drops and an HNSW
 * index for large ones ({@link VectorIndex#forSize}). Close to release the index.
 */
public final class CollectionSearch implements AutoCloseable {
    /**
     * One ranked token.
     *
     * @param rank 1 for the most similar
     * @param cosine the cosine similarity of the token's embedding and the query
     * @param aesthetic the token's stored aesthetic score ({@code NaN} when not scored)
     */
    public record Hit(int rank, long tokenId, double cosine, double aesthetic) {}

    private final String model;
    private final Map<Long, ScoreStore.Row> rows;
    private final VectorIndex index;

    /**
     * @param model the scoring model the rows are of, for messages
     * @param rows every stored token's row of that model
     * @throws QcException when there are no rows
     */
    public CollectionSearch(String model, Map<Long, ScoreStore.Row> rows) throws QcException {
        if (rows.isEmpty()) {
            throw new QcException(
                    "no token has a stored embedding of "
                            + model
                            + "; run 'serigraph score DIR"
                            + " --model "
                            + model
                            + "' first");
        }
        this.model = model;
        this.rows = rows;
        int dimension = rows.values().iterator().next().embedding().length;
        this.index = VectorIndex.forSize(dimension, rows.size());
        for (ScoreStore.Row r : rows.values()) {
            index.add(Long.toString(r.tokenId()), r.embedding());
        }
    }

    public int size() {
        return index.size();
    }

    public int dimension() {
        return index.dimension();
    }

    /** The {@code k} tokens most similar to {@code query} (a normalized embedding). */
    public List<Hit> nearest(float[] query, int k) throws QcException {
        if (query.length != index.dimension()) {
            throw new QcException(
                    "the query embedding has "
                            + query.length
                            + " values, the stored embeddings of "
                            + model
                            + " have "
                            + index.dimension());
        }
        return hits(index.nearest(query, k), -1, k);
    }

    /** The {@code k} tokens most similar to token {@code tokenId}, without itself. */
    public List<Hit> like(long tokenId, int k) throws QcException {
        ScoreStore.Row row = rows.get(tokenId);
        if (row == null) {
            throw new QcException(
                    "token "
                            + tokenId
                            + " has no stored embedding of "
                            + model
                            + " ("
                            + rows.size()
                            + " tokens have one); run 'serigraph score DIR' first");
        }
        return hits(index.nearest(row.embedding(), k + 1), tokenId, k);
    }

    /**
     * Two tokens and the cosine similarity of their embeddings.
     *
     * @param first the smaller token id
     */
    public record Pair(long first, long second, double cosine) {}

    /**
     * The pairs of tokens at least {@code minCosine} similar (near duplicates), most similar first;
     * at most {@code limit}. Exact below {@link VectorIndex#EXACT_LIMIT} tokens, else from each
     * token's HNSW neighbours.
     */
    public List<Pair> pairsAtLeast(double minCosine, int limit) {
        List<Pair> out = new ArrayList<>();
        for (NearDuplicateIndex.Pair p : index.pairsAtLeast(minCosine)) {
            if (out.size() == limit) {
                break;
            }
            long a = Long.parseLong(p.first());
            long b = Long.parseLong(p.second());
            out.add(new Pair(Math.min(a, b), Math.max(a, b), p.cosine()));
        }
        return out;
    }

    private List<Hit> hits(List<NearDuplicateIndex.Match> matches, long skip, int k) {
        List<Hit> out = new ArrayList<>();
        for (NearDuplicateIndex.Match m : matches) {
            long id = Long.parseLong(m.id());
            if (id == skip || out.size() == k) {
                continue;
            }
            out.add(new Hit(out.size() + 1, id, m.cosine(), rows.get(id).aesthetic()));
        }
        return out;
    }

    @Override
    public void close() {
        index.close();
    }
}
