package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * CLIP aesthetic score (the scoring model's aesthetic head, LAION's 1-10 scale) from the score
 * store; low is bad. A model without an aesthetic head measures NaN, which never crosses the
 * threshold.
 */
public final class AestheticCheck implements QcCheck {
    @Override
    public String name() {
        return "aesthetic";
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
        return 4.5;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.REVIEW;
    }

    @Override
    public String remedy() {
        return "the model rates the image low (CLIP aesthetic score): look at it, re-roll it or rework the traits it combines";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        return drop.aesthetic(token.id());
    }
}
