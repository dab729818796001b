package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.spec.QcTier;

/**
 * Trait-frequency drift against the plan: the largest drift, in standard errors (see {@link
 * QcDrop#drift}), of any trait this token carries (or of its layers' "none"). A one-of-one carries
 * no drawn traits: it measures 0.
 */
public final class TraitDriftCheck implements QcCheck {
    @Override
    public String name() {
        return "trait_drift";
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
        return 4;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.REVIEW;
    }

    @Override
    public String remedy() {
        return "the plan's trait frequencies are far from the spec's weights: check the weights and size, or re-plan with another seed";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        PlannedToken t = token.token();
        if (drop.isOneOfOne(t.id())) {
            return 0;
        }
        double worst = 0;
        for (int l = 0; l < t.layerCount(); l++) {
            worst = Math.max(worst, drop.drift(l, t.choice(l)));
        }
        return worst;
    }
}
