package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * Stray semi-transparent pixels: the fraction of the image'\''s pixels with alpha strictly between
 * 0 and 255.
 */
public final class FringeCheck implements QcCheck {
    @Override
    public String name() {
        return "fringe";
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
        return QcTier.REVIEW;
    }

    @Override
    public String remedy() {
        return "remove the semi-transparent edge pixels from the layer files (or set canvas.background)";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        byte[] p = token.image().pixels();
        long partial = 0;
        for (int i = 3; i < p.length; i += 4) {
            int a = p[i] & 0xFF;
            if (a != 0 && a != 255) {
                partial++;
            }
        }
        return (double) partial / (p.length / 4);
    }
}
