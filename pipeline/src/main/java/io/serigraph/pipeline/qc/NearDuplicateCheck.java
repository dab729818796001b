package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * Near duplicates: the smallest 64-bit DCT pHash Hamming distance to a token with a different
 * image; low is bad.
 */
public final class NearDuplicateCheck implements QcCheck {
    @Override
    public String name() {
        return "near_duplicate";
    }

    @Override
    public Scope scope() {
        return Scope.SET;
    }

    @Override
    public boolean higherIsWorse() {
        return false;
    }

    @Override
    public double defaultThreshold() {
        return 5;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.REVIEW;
    }

    @Override
    public String remedy() {
        return "another token looks nearly the same (perceptual hash): re-roll one of them, or make the differing traits more visible";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        return drop.nearestDistance(token.id());
    }
}
