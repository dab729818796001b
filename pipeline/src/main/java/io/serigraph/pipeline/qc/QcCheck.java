package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * One quality check: it measures one number and compares it with a threshold. The spec's {@code
 * qc:} block may override the threshold and tier under {@link #name()}.
 */
public interface QcCheck {
    /** What a check needs to measure a token. */
    enum Scope {
        /** The token's own decoded image, metadata and layers; measured while the image is open. */
        TOKEN,
        /** Every token's image hashes; measured after all tokens were read. */
        SET
    }

    /** The key in the spec's {@code qc:} block, e.g. {@code blank}. */
    String name();

    Scope scope();

    /**
     * {@code true} when a value above the threshold is bad; {@code false} when a value below it is.
     */
    boolean higherIsWorse();

    double defaultThreshold();

    QcTier defaultTier();

    /** What to do about a token that crosses the threshold. */
    String remedy();

    /**
     * The measurement for {@code token}; for {@link Scope#SET} checks {@code token.image()} is not
     * available and {@code drop} holds every token's hashes.
     */
    double measure(QcToken token, QcDrop drop);
}
