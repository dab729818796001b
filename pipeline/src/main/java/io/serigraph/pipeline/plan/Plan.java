package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.OneOfOneSpec;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final int[] oneRows; // row of one-of-one j
    private final int[] sortedOneRows;
    private final List<OneOfOneSpec> ones;

    Plan(byte[] hash, long startId, int size, List<LayerSpec> layers, ChoiceTable choices) {
        this(hash, startId, size, layers, choices, new int[0], List.of());
    }

    Plan(
            byte[] hash,
            long startId,
            int size,
            List<LayerSpec> layers,
            ChoiceTable choices,
            int[] oneRows,
            List<OneOfOneSpec> ones) {
        this.hash = hash.clone();
        this.startId = startId;
        this.size = size;
        this.layers = List.copyOf(layers);
        this.choices = choices;
        this.oneRows = oneRows.clone();
        this.sortedOneRows = oneRows.clone();
        Arrays.sort(sortedOneRows);
        this.ones = List.copyOf(ones);
    }

    /**
     * The one-of-one placed at 0-based position {@code index}, or empty for a generative token. A
     * one-of-one's {@link #get(int) token} holds, per layer, the trait its attributes name, or
     * {@link PlannedToken#NONE}; its image and attributes are the one-of-one's own.
     */
    public Optional<OneOfOneSpec> oneOfOne(int index) {
        if (!isOneOfOne(index)) {
            return Optional.empty();
        }
        for (int j = 0; j < oneRows.length; j++) {
            if (oneRows[j] == index) {
                return Optional.of(ones.get(j));
            }
        }
        return Optional.empty();
    }

    /** Whether the token at {@code index} is a one-of-one. */
    public boolean isOneOfOne(int index) {
        checkIndex(index);
        return sortedOneRows.length > 0 && Arrays.binarySearch(sortedOneRows, index) >= 0;
    }

    /** The 0-based positions of the one-of-ones, in the spec's order of one-of-ones. */
    public int[] oneOfOnePositions() {
        return oneRows.clone();
    }

    /**
     * The metadata attributes of the token at {@code index} as (trait type, value) pairs: a
     * one-of-one's own attributes as written; otherwise its layers' traits bottom to top, a layer
     * left out skipped.
     */
    public List<Map.Entry<String, String>> attributes(int index) {
        Optional<OneOfOneSpec> one = oneOfOne(index);
        if (one.isPresent()) {
            return List.copyOf(one.get().attributes().entrySet());
        }
        List<Map.Entry<String, String>> out = new ArrayList<>(layers.size());
        for (int l = 0; l < layers.size(); l++) {
            int c = choices.get(index, l);
            if (c != PlannedToken.NONE) {
                out.add(Map.entry(layers.get(l).name(), layers.get(l).traits().get(c).name()));
            }
        }
        return out;
    }

    /**
     * This plan with the choices of some generative tokens replaced (re-rolled tokens, {@link
     * Reroller}); the hash, ids and one-of-ones stay. The caller keeps DNA unique.
     *
     * @param replaced token id to its new choices, one per layer
     * @throws IllegalArgumentException for an id outside the plan, a one-of-one, or choices that do
     *     not fit the layers
     */
    public Plan withChoices(Map<Long, int[]> replaced) {
        if (replaced.isEmpty()) {
            return this;
        }
        ChoiceTable table = choices.copy();
        for (Map.Entry<Long, int[]> e : replaced.entrySet()) {
            long id = e.getKey();
            int[] c = e.getValue();
            if (!contains(id)) {
                throw new IllegalArgumentException("no token " + id + " in this plan");
            }
            int row = (int) (id - startId);
            if (isOneOfOne(row)) {
                throw new IllegalArgumentException("token " + id + " is a one-of-one");
            }
            if (c.length != layers.size()) {
                throw new IllegalArgumentException(
                        "token "
                                + id
                                + ": "
                                + c.length
                                + " choices for "
                                + layers.size()
                                + " layers");
            }
            for (int l = 0; l < c.length; l++) {
                if (c[l] < PlannedToken.NONE || c[l] >= layers.get(l).traits().size()) {
                    throw new IllegalArgumentException(
                            "token " + id + ": choice " + c[l] + " out of range in layer " + l);
                }
                table.set(row, l, c[l]);
            }
        }
        return new Plan(hash, startId, size, layers, table, oneRows, ones);
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
                && Arrays.equals(oneRows, other.oneRows)
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
