package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * Colour range: the fraction of the visible pixels (alpha above 0) whose every colour channel is
 * clipped to 0 or 255.
 */
public final class ClippingCheck implements QcCheck {
    @Override
    public String name() {
        return "clipping";
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
        return 0.5;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.REVIEW;
    }

    @Override
    public String remedy() {
        return "most of the image is clipped to pure colour channel extremes: check the layer colours and export settings";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        byte[] p = token.image().pixels();
        long visible = 0;
        long clipped = 0;
        for (int i = 0; i < p.length; i += 4) {
            if (p[i + 3] == 0) {
                continue;
            }
            visible++;
            if (extreme(p[i]) && extreme(p[i + 1]) && extreme(p[i + 2])) {
                clipped++;
            }
        }
        return visible == 0 ? 0 : (double) clipped / visible;
    }

    private static boolean extreme(byte b) {
        return b == 0 || b == (byte) 0xFF;
    }
}
