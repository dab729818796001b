package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcTier;

/**
 * Canvas and resolution: 0 when the image is exactly {@code output.width} x {@code output.height},
 * else 1.
 */
public final class CanvasCheck implements QcCheck {
    @Override
    public String name() {
        return "canvas";
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
        return "re-render the token: its image is not the output size (output.width x output.height)";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        var out = drop.spec().output();
        return token.image().width() == out.width() && token.image().height() == out.height()
                ? 0
                : 1;
    }
}
