package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/** Unexpected transparency: the fraction of the image'\''s pixels that are fully transparent. */
public final class AlphaCoverageCheck implements QcCheck {
    @Override
    public String name() {
        return "alpha_coverage";
    }

    @Override
    public Scope scope() {
        return Scope.TOKEN;
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
        return "fill the transparent area in the layer files, or set canvas.background";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        byte[] p = token.image().pixels();
        long clear = 0;
        for (int i = 3; i < p.length; i += 4) {
            if (p[i] == 0) {
                clear++;
            }
        }
        return (double) clear / (p.length / 4);
    }
}
