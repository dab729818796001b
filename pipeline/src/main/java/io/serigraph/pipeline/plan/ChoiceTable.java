package io.serigraph.pipeline.plan;

import java.util.Arrays;

/**
 * Every token's choices in one flat array, row-major ({@code row * layers + layer}), stored as
 * {@code choice + 1} in the narrowest of {@code byte} (unsigned), {@code short} (unsigned) or
 * {@code int} that fits the largest layer. 1,000,000 tokens over 10 layers of up to 254 traits take
 * 10 MB.
 */
final class ChoiceTable {
    private final int layers;
    private final byte[] bytes;
    private final short[] shorts;
    private final int[] ints;

    ChoiceTable(int rows, int layers, int maxTraits) {
        this.layers = layers;
        long cells = (long) rows * layers;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new PlanException(
                    "a plan of "
                            + rows
                            + " tokens over "
                            + layers
                            + " layers is too large to hold in memory (more than 2^31 choices)");
        }
        int n = (int) cells;
        bytes = maxTraits <= 0xFF - 1 ? new byte[n] : null;
        shorts = bytes == null && maxTraits <= 0xFFFF - 1 ? new short[n] : null;
        ints = bytes == null && shorts == null ? new int[n] : null;
    }

    private ChoiceTable(ChoiceTable from) {
        layers = from.layers;
        bytes = from.bytes == null ? null : from.bytes.clone();
        shorts = from.shorts == null ? null : from.shorts.clone();
        ints = from.ints == null ? null : from.ints.clone();
    }

    /** An independent copy. */
    ChoiceTable copy() {
        return new ChoiceTable(this);
    }

    int layers() {
        return layers;
    }

    int get(int row, int layer) {
        int i = row * layers + layer;
        if (bytes != null) {
            return (bytes[i] & 0xFF) - 1;
        }
        if (shorts != null) {
            return (shorts[i] & 0xFFFF) - 1;
        }
        return ints[i] - 1;
    }

    void set(int row, int layer, int choice) {
        int i = row * layers + layer;
        if (bytes != null) {
            bytes[i] = (byte) (choice + 1);
        } else if (shorts != null) {
            shorts[i] = (short) (choice + 1);
        } else {
            ints[i] = choice + 1;
        }
    }

    /** Whether rows {@code a} and {@code b} hold the same choices. */
    boolean rowsEqual(int a, int b) {
        int ia = a * layers;
        int ib = b * layers;
        if (bytes != null) {
            return Arrays.equals(bytes, ia, ia + layers, bytes, ib, ib + layers);
        }
        if (shorts != null) {
            return Arrays.equals(shorts, ia, ia + layers, shorts, ib, ib + layers);
        }
        return Arrays.equals(ints, ia, ia + layers, ints, ib, ib + layers);
    }

    /** A well-mixed 64-bit hash of a row's choices (for the in-memory set only; not specified). */
    long rowHash(int row) {
        long h = 0x243F6A8885A308D3L;
        for (int l = 0; l < layers; l++) {
            h = (h ^ get(row, l)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return h;
    }

    /** Content equality (same layer count and same choices in every row). */
    boolean contentEquals(ChoiceTable other) {
        return layers == other.layers
                && Arrays.equals(bytes, other.bytes)
                && Arrays.equals(shorts, other.shorts)
                && Arrays.equals(ints, other.ints);
    }

    int contentHash() {
        return 31 * (31 * Arrays.hashCode(bytes) + Arrays.hashCode(shorts)) + Arrays.hashCode(ints);
    }
}
