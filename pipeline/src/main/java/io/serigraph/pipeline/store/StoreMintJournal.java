package io.serigraph.pipeline.store;

import io.serigraph.chain.mint.MintBatch;
import io.serigraph.chain.mint.MintJournal;
import java.math.BigInteger;
import java.util.List;

/**
 * The mint journal in the drop's state store (table {@code mint_batches}); every change is also an
 * audit event ({@code mint.SIGNED}, {@code mint.CONFIRMED}, ...) carrying the transaction hash.
 */
public final class StoreMintJournal implements MintJournal {
    private final DropStore store;

    public StoreMintJournal(DropStore store) {
        this.store = store;
    }

    @Override
    public List<MintBatch> batches() {
        return store.mintBatches();
    }

    @Override
    public void recordIntent(MintBatch b) {
        store.insertMintBatch(b);
        audit(b.txHash(), b.status(), b.firstTokenId(), b.quantity(), b.nonce(), b.detail());
    }

    @Override
    public void update(
            String txHash,
            MintBatch.Status status,
            long gasUsed,
            BigInteger costWei,
            String detail) {
        store.updateMintBatch(txHash, status, gasUsed, costWei, detail);
        MintBatch b =
                batches().stream().filter(x -> x.txHash().equals(txHash)).findFirst().orElseThrow();
        audit(txHash, status, b.firstTokenId(), b.quantity(), b.nonce(), detail);
    }

    private void audit(
            String txHash,
            MintBatch.Status status,
            long first,
            int quantity,
            long nonce,
            String detail) {
        store.appendAudit(
                "mint",
                "mint." + status.name(),
                "{\"tx\":\""
                        + txHash
                        + "\",\"first\":"
                        + first
                        + ",\"quantity\":"
                        + quantity
                        + ",\"nonce\":"
                        + nonce
                        + ",\"detail\":\""
                        + detail.replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\"}");
    }
}
