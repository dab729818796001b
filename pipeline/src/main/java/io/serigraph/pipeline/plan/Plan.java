package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.LayerSpec;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.RandomAccess;

/**
 * The traits of every token of a collection, in id order ({@code startId .. startId + size - 1}).
 * Immutable. Choices are held in one compact array; {@link PlannedToken}s are made on demand, so a
 * plan of a million tokens costs a few megabytes.
 */
public final class Plan {
    private final byte[] hash;
    private final long startId;
    private final int size;
    private final List<LayerSpec> layers;
    private final ChoiceTable choices;

    Plan(byte[] hash, long startId, int size, List<LayerSpec> layers, ChoiceTable choices) {
        this.hash = hash.clone();
        this.startId = startId;
        this.size = size;
        this.layers = List.copyOf(layers);
        this.choices = choices;
    }

    /** The plan hash as 64 lower-case hex digits (see {@link PlanHash}). */
    public String hash() {
        return HexFormat.of().formatHex(hash);
    }

    /** The 32 bytes of the plan hash (a copy). */
    public byte[] hashBytes() {
        return hash.clone();
    }

    /** The id of the first token. */
    public long startId() {
        return startId;
    }

    /** The number of tokens. */
    public int size() {
        return size;
    }

    /** The layers, bottom to top, that choices index into. */
    public List<LayerSpec> layers() {
        return layers;
    }

    /** Whether {@code id} is one of this plan's token ids. */
    public boolean contains(long id) {
        return id - startId >= 0 && id - startId < size;
    }

    /**
     * The choice of {@code layer} for the token at {@code index} (0-based position, id {@code
     * startId + index}): a trait index or {@link PlannedToken#NONE}. Allocation-free.
     */
    public int choice(int index, int layer) {
        checkIndex(index);
        if (layer < 0 || layer >= layers.size()) {
            throw new IndexOutOfBoundsException("layer " + layer + " of " + layers.size());
        }
        return choices.get(index, layer);
    }

    /** The token at 0-based position {@code index}. */
    public PlannedToken get(int index) {
        checkIndex(index);
        int[] c = new int[layers.size()];
        for (int l = 0; l < c.length; l++) {
            c[l] = choices.get(index, l);
        }
        return new PlannedToken(startId + index, c);
    }

    /**
     * The token with id {@code id}.
     *
     * @throws IllegalArgumentException when the plan has no such token
     */
    public PlannedToken token(long id) {
        if (!contains(id)) {
            throw new IllegalArgumentException(
                    "no token "
                            + id
                            + " in this plan (ids "
                            + startId
                            + ".."
                            + (startId + size - 1)
                            + ")");
        }
        return get((int) (id - startId));
    }

    /** All tokens in id order, as a read-only list view that makes each token when read. */
    public List<PlannedToken> tokens() {
        return new TokenList();
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("token index " + index + " of " + size);
        }
    }

    /** Plans are equal when they have the same hash, ids and choices. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Plan other
                && startId == other.startId
                && size == other.size
                && Arrays.equals(hash, other.hash)
                && choices.contentEquals(other.choices);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash) * 31 + choices.contentHash();
    }

    @Override
    public String toString() {
        return "Plan[hash=" + hash() + ", startId=" + startId + ", size=" + size + "]";
    }

    private final class TokenList extends AbstractList<PlannedToken> implements RandomAccess {
        @Override
        public PlannedToken get(int index) {
            return Plan.this.get(index);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
