package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * Blank or near-uniform images: the standard deviation of the luma (Rec. 601, 0..255, over black)
 * across the image; low is bad.
 */
public final class BlankCheck implements QcCheck {
    @Override
    public String name() {
        return "blank";
    }

    @Override
    public Scope scope() {
        return Scope.TOKEN;
    }

    @Override
    public boolean higherIsWorse() {
        return false;
    }

    @Override
    public double defaultThreshold() {
        return 3;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.REVIEW;
    }

    @Override
    public String remedy() {
        return "the trait combination draws a (nearly) uniform image: give its traits visible content, or exclude the combination";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        byte[] p = token.image().pixels();
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < p.length; i += 4) {
            double luma =
                    (0.299 * (p[i] & 0xFF) + 0.587 * (p[i + 1] & 0xFF) + 0.114 * (p[i + 2] & 0xFF))
                            * (p[i + 3] & 0xFF)
                            / 255.0;
            sum += luma;
            sumSq += luma * luma;
        }
        int n = p.length / 4;
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    }
}
