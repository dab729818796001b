package io.serigraph.chain.mint;

import java.math.BigInteger;
import java.util.List;

/**
 * A dry run: the batches a mint would send, with estimated gas and cost; nothing is sent.
 *
 * @param batches each batch's first token id and quantity, in order
 * @param gasPerBatch the estimated gas of each batch (same order)
 * @param totalGas their sum
 * @param expectedCostWei totalGas at the current base fee plus the priority fee
 * @param maxCostWei totalGas at the fee ceiling used (the most it can cost)
 * @param chainId the chain it would go to
 */
public record MintPlan(
        List<long[]> batches,
        List<Long> gasPerBatch,
        long totalGas,
        BigInteger expectedCostWei,
        BigInteger maxCostWei,
        long chainId) {
    public long tokens() {
        return batches.stream().mapToLong(b -> b[1]).sum();
    }
}
