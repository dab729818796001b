package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.RuleSet;

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
    private final RuleSet rules; // null: every combination is allowed
    private final int[] row;

    Combinations(
            WeightedLayer[] layers, ChoiceTable table, DnaSet taken, long count, int indexedMax) {
        this(layers, table, taken, count, indexedMax, null);
    }

    /**
     * With {@code rules}, combinations the rules forbid are skipped as if used ({@code count} is
     * still the number of combinations without rules: the digits' range).
     */
    Combinations(
            WeightedLayer[] layers,
            ChoiceTable table,
            DnaSet taken,
            long count,
            int indexedMax,
            RuleSet rules) {
        this.rules = rules == null || rules.isEmpty() ? null : rules;
        this.row = new int[layers.length];
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

    private boolean[] skip; // rows that are not generative tokens: never indexed by position
    private int[] alwaysUsed = new int[0]; // rows whose combinations are used from the start

    /**
     * For plans with one-of-ones: {@code skip} marks their rows (not indexed as "rows before"),
     * {@code used} the rows whose combinations generative tokens may not take.
     */
    void skipRows(boolean[] skip, int[] used) {
        this.skip = skip;
        this.alwaysUsed = used.clone();
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
                if (skip == null || !skip[r]) {
                    int c = indexOf(r);
                    next[c] = c + 1;
                }
            }
            for (int r : alwaysUsed) {
                int c = indexOf(r);
                next[c] = c + 1;
            }
        }
        int free = indexOf(row);
        int tried = 0;
        while (true) {
            free = find(free + 1);
            if (free == count) {
                free = find(0);
            }
            if (free == count) {
                throw new IllegalStateException("no unused allowed combination is left");
            }
            long rest = free;
            for (int l = 0; l < layers.length; l++) {
                table.set(row, l, layers[l].choiceOf((int) (rest / strides[l])));
                rest %= strides[l];
            }
            if (allowed(row)) {
                break;
            }
            next[free] = free + 1; // forbidden: never a candidate again
            if (++tried > count) {
                throw new IllegalStateException("no unused allowed combination is left");
            }
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
        } while (!allowed(row) || !taken.add(row));
    }

    private boolean allowed(int r) {
        if (rules == null) {
            return true;
        }
        for (int l = 0; l < layers.length; l++) {
            row[l] = table.get(r, l);
        }
        return rules.allows(row);
    }
}
