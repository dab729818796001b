package io.serigraph.chain.mint;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** A journal in memory: for dry runs and for one process that need not survive a crash. */
public final class MemoryMintJournal implements MintJournal {
    private final List<MintBatch> batches = new ArrayList<>();

    @Override
    public synchronized List<MintBatch> batches() {
        return List.copyOf(batches);
    }

    @Override
    public synchronized void recordIntent(MintBatch batch) {
        for (MintBatch b : batches) {
            if (b.txHash().equals(batch.txHash())) {
                throw new IllegalStateException(
                        "transaction " + batch.txHash() + " already journalled");
            }
        }
        batches.add(batch);
    }

    @Override
    public synchronized void update(
            String txHash,
            MintBatch.Status status,
            long gasUsed,
            BigInteger costWei,
            String detail) {
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).txHash().equals(txHash)) {
                batches.set(i, batches.get(i).withStatus(status, gasUsed, costWei, detail));
                return;
            }
        }
        throw new IllegalStateException("transaction " + txHash + " is not in the journal");
    }
}
