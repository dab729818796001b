package io.serigraph.pipeline.rarity;

/**
 * OpenRarity scores and ranks of every token of a collection, by 0-based position.
 *
 * @see OpenRarity
 */
public final class RarityTable {
    private final double[] scores;
    private final int[] uniqueTraits;
    private final int[] ranks;
    private final int[] byRank;
    private final double entropy;

    RarityTable(double[] scores, int[] uniqueTraits, int[] ranks, int[] byRank, double entropy) {
        this.scores = scores;
        this.uniqueTraits = uniqueTraits;
        this.ranks = ranks;
        this.byRank = byRank;
        this.entropy = entropy;
    }

    /** The number of tokens. */
    public int size() {
        return scores.length;
    }

    /** The information-content score of the token at {@code index}: IC / collection entropy. */
    public double score(int index) {
        return scores[index];
    }

    /** How many of the token's attributes (trait_count included) no other token has. */
    public int uniqueTraits(int index) {
        return uniqueTraits[index];
    }

    /** The rank of the token at {@code index}: 1 is the rarest; ties share the best rank. */
    public int rank(int index) {
        return ranks[index];
    }

    /** The position of the token at place {@code place} (0 = rarest) in rank order. */
    public int atPlace(int place) {
        return byRank[place];
    }

    /** The collection entropy (bits) the scores are normalized by. */
    public double entropy() {
        return entropy;
    }
}
