package io.serigraph.pipeline.rarity;

import java.util.Arrays;

/** OpenRarity's {@code RarityRanker.set_rarity_ranks}. */
final class Ranking {
    private Ranking() {}

    /**
     * Sorts by (unique attribute count, score) descending, stable (ties keep token order, as
     * Python's {@code sorted(..., reverse=True)} does); the token at place {@code i} has rank
     * {@code i + 1}, or the previous token's rank when their scores are {@code math.isclose}
     * (relative tolerance 1e-9).
     */
    static RarityTable rank(double[] scores, int[] unique, double entropy) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> {
                    if (unique[a] != unique[b]) {
                        return Integer.compare(unique[b], unique[a]);
                    }
                    return Double.compare(scores[b], scores[a]);
                });
        int[] ranks = new int[n];
        int[] byRank = new int[n];
        for (int p = 0; p < n; p++) {
            int i = order[p];
            byRank[p] = i;
            int rank = p + 1;
            if (p > 0 && isClose(scores[i], scores[order[p - 1]])) {
                rank = ranks[order[p - 1]];
            }
            ranks[i] = rank;
        }
        return new RarityTable(scores, unique, ranks, byRank, entropy);
    }

    /** Python's {@code math.isclose(a, b)}: relative tolerance 1e-9, no absolute tolerance. */
    static boolean isClose(double a, double b) {
        if (a == b) {
            return true;
        }
        double diff = Math.abs(a - b);
        return diff <= Math.abs(1e-9 * b) || diff <= Math.abs(1e-9 * a);
    }
}
