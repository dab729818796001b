package io.serigraph.pipeline.plan;

/**
 * The collision scan's view of combinations: each combination is a mixed-radix number whose digits
 * are the positions of the layers' choices among their allowed choices, bottom layer most
 * significant. {@link #nextUnusedAfter} finds the first unused combination after a given one,
 * wrapping from the last to the first.
 *
 * <p>When there are at most {@link #INDEXED_MAX} combinations (by default) this is done with a
 * "next free" pointer forest (union-find with path halving) over combination numbers, created on
 * the first scan: near-constant amortized time, so even a plan of every combination with very
 * skewed weights stays fast. With more combinations it walks digit by digit. Both give the same
 * answer.
 */
final class Combinations {
    /** Largest number of combinations indexed by the pointer forest (4 bytes each). */
    static final int INDEXED_MAX = 1 << 25;

    private final WeightedLayer[] layers;
    private final ChoiceTable table;
    private final DnaSet taken;
    private final long[] strides; // null when not indexable
    private final int count;
    private final int[] digits;
    private int[] next; // parent pointers; next[c] == c when free; created on first scan

    Combinations(
            WeightedLayer[] layers, ChoiceTable table, DnaSet taken, long count, int indexedMax) {
        this.layers = layers;
        this.table = table;
        this.taken = taken;
        this.digits = new int[layers.length];
        if (count <= indexedMax) {
            this.count = (int) count;
            this.strides = new long[layers.length];
            long stride = 1;
            for (int l = layers.length - 1; l >= 0; l--) {
                strides[l] = stride;
                stride *= layers[l].radix();
            }
        } else {
            this.count = -1;
            this.strides = null;
        }
    }

    /** Records that {@code row}'s combination is now used (call after it was added to the set). */
    void used(int row) {
        if (next != null) {
            int c = indexOf(row);
            next[c] = c + 1;
        }
    }

    /**
     * Replaces {@code row}'s (used) combination with the first unused combination after it,
     * wrapping, and adds it to the set of used ones. {@code rowsBefore} rows are already planned.
     */
    void nextUnusedAfter(int row, int rowsBefore) {
        if (strides == null) {
            walk(row);
            return;
        }
        if (next == null) {
            next = new int[count + 1];
            for (int c = 0; c <= count; c++) {
                next[c] = c;
            }
            for (int r = 0; r < rowsBefore; r++) {
                int c = indexOf(r);
                next[c] = c + 1;
            }
        }
        int free = find(indexOf(row) + 1);
        if (free == count) {
            free = find(0);
        }
        long rest = free;
        for (int l = 0; l < layers.length; l++) {
            table.set(row, l, layers[l].choiceOf((int) (rest / strides[l])));
            rest %= strides[l];
        }
        if (!taken.add(row)) {
            throw new IllegalStateException("combination " + free + " was marked free but is used");
        }
    }

    private int find(int c) {
        while (next[c] != c) {
            next[c] = next[next[c]];
            c = next[c];
        }
        return c;
    }

    private int indexOf(int row) {
        long c = 0;
        for (int l = 0; l < layers.length; l++) {
            c += layers[l].digitOf(table.get(row, l)) * strides[l];
        }
        return (int) c;
    }

    /** The plain walk: count up in mixed radix until the combination is unused. */
    private void walk(int row) {
        for (int l = 0; l < layers.length; l++) {
            digits[l] = layers[l].digitOf(table.get(row, l));
        }
        do {
            for (int l = layers.length - 1; l >= 0; l--) {
                digits[l]++;
                if (digits[l] < layers[l].radix()) {
                    break;
                }
                digits[l] = 0;
            }
            for (int l = 0; l < layers.length; l++) {
                table.set(row, l, layers[l].choiceOf(digits[l]));
            }
        } while (!taken.add(row));
    }
}
