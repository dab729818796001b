package io.serigraph.pipeline.plan;

/**
 * The set of DNAs already planned, as an open-addressing hash table of row numbers into a {@link
 * ChoiceTable}; two rows are the same DNA when all their choices are equal. Membership is exact (no
 * hash-only comparison), so only true duplicates ever cause a re-draw.
 */
final class DnaSet {
    private final ChoiceTable table;
    private final int[] slots; // row + 1, 0 = empty
    private final int mask;
    private final int shift;

    DnaSet(ChoiceTable table, int capacity) {
        this.table = table;
        if (capacity > 1 << 29) {
            throw new PlanException("a plan of more than 2^29 tokens is not supported");
        }
        int n = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1) << 1; // load <= 1/2
        this.slots = new int[n];
        this.mask = n - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(n);
    }

    /**
     * Adds row {@code row} unless an equal row is already present.
     *
     * @return {@code true} when added, {@code false} when its DNA is already taken
     */
    boolean add(int row) {
        int i = (int) (table.rowHash(row) >>> shift);
        while (true) {
            int s = slots[i];
            if (s == 0) {
                slots[i] = row + 1;
                return true;
            }
            if (table.rowsEqual(s - 1, row)) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }
}
