package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * Near duplicates by CLIP: the smallest cosine distance {@code 1 - cos} of the image embedding to a
 * token with a different image among those within {@link QcDrop#CLIP_PREFILTER_BITS} pHash bits;
 * low is bad.
 */
public final class ClipNearDuplicateCheck implements QcCheck {
    @Override
    public String name() {
        return "clip_near_duplicate";
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
        return 0.02;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.REVIEW;
    }

    @Override
    public String remedy() {
        return "another token looks nearly the same to CLIP (embedding distance): re-roll one of them, or make the differing traits more visible";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        return drop.clipNearestDistance(token.id());
    }
}
