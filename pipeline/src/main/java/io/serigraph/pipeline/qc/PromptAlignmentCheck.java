package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * Prompt alignment: CLIPScore {@code 2.5 * max(cos, 0)} of the image and {@code qc.prompt}; low is
 * bad.
 */
public final class PromptAlignmentCheck implements QcCheck {
    @Override
    public String name() {
        return "prompt_alignment";
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
        return 0.5;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.REVIEW;
    }

    @Override
    public String remedy() {
        return "the image matches qc.prompt poorly (CLIPScore): check that it shows what the collection should, or re-roll it";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        return drop.promptAlignment(token.id());
    }
}
