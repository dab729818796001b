package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/** Exact duplicates: the number of other tokens whose image has the same SHA-256. */
public final class ExactDuplicateCheck implements QcCheck {
    @Override
    public String name() {
        return "exact_duplicate";
    }

    @Override
    public Scope scope() {
        return Scope.SET;
    }

    @Override
    public boolean higherIsWorse() {
        return true;
    }

    @Override
    public double defaultThreshold() {
        return 0;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.FAIL;
    }

    @Override
    public String remedy() {
        return "two tokens have byte-identical images: change the spec (seed, layers) so every combination looks different";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        return drop.imagesWithSha256(token.imageSha256()) - 1;
    }
}
