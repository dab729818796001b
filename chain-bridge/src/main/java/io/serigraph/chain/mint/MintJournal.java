package io.serigraph.chain.mint;

import java.math.BigInteger;
import java.util.List;

/**
 * Durable record of every transaction the minter signs, written before it is sent, so that a run
 * that dies at any moment can be resumed without minting twice or skipping a token. Implementations
 * must make each call durable before returning (the pipeline keeps it in the drop's SQLite store).
 */
public interface MintJournal {
    /** Every journalled transaction, in the order they were recorded. */
    List<MintBatch> batches();

    /** Records a signed transaction (status {@link MintBatch.Status#SIGNED}) before it is sent. */
    void recordIntent(MintBatch batch);

    /** Sets the status of the transaction {@code txHash}, with gas used, fee paid and a detail. */
    void update(
            String txHash,
            MintBatch.Status status,
            long gasUsed,
            BigInteger costWei,
            String detail);
}
