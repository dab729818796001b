package io.serigraph.chain.mint;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One journalled transaction: a deployment ({@code firstTokenId == -1}), an owner's call ({@code
 * firstTokenId == -2}) or a batch of {@code quantity} tokens starting at {@code firstTokenId},
 * signed with {@code nonce}. The signed transaction is kept so that a resumed run sends exactly the
 * same bytes again.
 *
 * @param firstTokenId the first token id of the batch, {@link #DEPLOY} for the deployment or {@link
 *     #CALL} for an owner's call
 * @param quantity tokens in the batch (0 for the deployment)
 * @param nonce the sender's nonce the transaction was signed with
 * @param txHash the hash of the signed transaction ({@code 0x...})
 * @param signedTx the signed raw transaction ({@code 0x...})
 * @param status where it stands
 * @param gasUsed gas used once confirmed, else 0
 * @param costWei fee paid in wei once confirmed, else 0
 * @param detail a contract address for deployments, the call for owner's calls, a reason for
 *     failures, else empty
 */
public record MintBatch(
        long firstTokenId,
        int quantity,
        long nonce,
        String txHash,
        String signedTx,
        Status status,
        long gasUsed,
        BigInteger costWei,
        String detail) {
    /** The {@code firstTokenId} of the deployment transaction. */
    public static final long DEPLOY = -1;

    /**
     * The {@code firstTokenId} of an owner's call to the contract (provenance hash, base URI,
     * starting index); {@code detail} names the call.
     */
    public static final long CALL = -2;

    /** Where a journalled transaction stands. */
    public enum Status {
        /** Signed and recorded; maybe sent, maybe not. */
        SIGNED,
        /** Accepted by the node; not yet confirmed. */
        SENT,
        /** Included with status 1 and confirmed. */
        CONFIRMED,
        /** Included with status 0: nothing was minted. Terminal. */
        REVERTED,
        /** Never included and never will be (rejected by the node or its nonce used by another). */
        DROPPED;

        public boolean terminal() {
            return this == CONFIRMED || this == REVERTED || this == DROPPED;
        }
    }

    public MintBatch {
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(signedTx, "signedTx");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(costWei, "costWei");
        Objects.requireNonNull(detail, "detail");
    }

    /** The last token id of the batch. */
    public long lastTokenId() {
        return firstTokenId + quantity - 1;
    }

    public MintBatch withStatus(Status s, long gas, BigInteger cost, String d) {
        return new MintBatch(firstTokenId, quantity, nonce, txHash, signedTx, s, gas, cost, d);
    }
}
