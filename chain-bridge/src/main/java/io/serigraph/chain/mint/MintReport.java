package io.serigraph.chain.mint;

import java.math.BigInteger;
import java.util.List;

/**
 * What a finished mint did: the confirmed batches of this contract's tokens (of this run and of any
 * run it resumed), with gas and fees from their receipts.
 */
public record MintReport(
        String contract, List<MintBatch> batches, long tokens, long gasUsed, BigInteger costWei) {
    public MintReport {
        batches = List.copyOf(batches);
    }

    /** Gas used per token minted, or 0 when nothing was minted. */
    public double gasPerToken() {
        return tokens == 0 ? 0 : (double) gasUsed / tokens;
    }
}
