package io.serigraph.chain.mint;

/**
 * A step of the minter, reported to a {@link MintListener} right after it happened (and was
 * journalled).
 *
 * @param step what happened
 * @param batch the transaction it concerns
 * @param minted tokens minted so far
 * @param total tokens to mint
 */
public record MintEvent(Step step, MintBatch batch, long minted, long total) {
    /** The steps, in the order one transaction goes through them. */
    public enum Step {
        /** Signed and journalled, not yet sent. */
        SIGNED,
        /** Handed to the node, not yet journalled as sent. */
        SENT,
        /** Journalled as sent. */
        JOURNALLED_SENT,
        /**
         * Seen in a block (again, after a reorg moved it), confirmations not yet counted; not
         * journalled.
         */
        INCLUDED,
        /** A receipt with enough confirmations arrived, not yet journalled. */
        RECEIPT,
        /** Journalled as confirmed. */
        CONFIRMED
    }
}
