package io.serigraph.pipeline.rarity;

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
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        mergeSort(order, new int[n], 0, n, unique, scores);
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

    /** Whether token {@code a} sorts before {@code b}: more unique traits, then a higher score. */
    private static boolean before(int a, int b, int[] unique, double[] scores) {
        if (unique[a] != unique[b]) {
            return unique[a] > unique[b];
        }
        return Double.compare(scores[a], scores[b]) > 0;
    }

    /** A stable merge sort of {@code a[from, to)} (equal tokens keep their order). */
    private static void mergeSort(
            int[] a, int[] tmp, int from, int to, int[] unique, double[] scores) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid, unique, scores);
        mergeSort(a, tmp, mid, to, unique, scores);
        if (!before(a[mid], a[mid - 1], unique, scores)) {
            return;
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && !before(tmp[j], tmp[i], unique, scores))) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
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
