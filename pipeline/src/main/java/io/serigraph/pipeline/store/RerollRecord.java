package io.serigraph.pipeline.store;

/**
 * A re-roll applied to a token: its traits are now {@code dna} instead of what the plan gave it.
 *
 * @param planHash the plan the re-roll was drawn against; it holds only for that plan
 * @param round how many times the token has been re-rolled (1 for the first)
 * @param dna the new canonical DNA ({@code 0-12-x-3})
 * @param decisionSeq the audit sequence number of the review decision it carried out
 */
public record RerollRecord(
        long tokenId, String planHash, int round, String dna, long decisionSeq) {}
