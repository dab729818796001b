package io.serigraph.pipeline.qc;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.spec.QcTier;

/**
 * Metadata/visual parity: every attribute the metadata names must be visible. For each trait the
 * token draws, the fraction of that trait layer's non-transparent pixels not covered by an opaque
 * pixel of any layer above, computed from the decoded layers; the measurement is the smallest such
 * fraction (a trait with no visible pixels at all counts 0). Low is bad. A one-of-one's image is
 * its own art, not a stack of the layers its attributes name, so it is not measured: it counts 1.
 */
public final class ParityCheck implements QcCheck {
    private final ThreadLocal<boolean[]> covered = ThreadLocal.withInitial(() -> new boolean[0]);

    @Override
    public String name() {
        return "parity";
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
        return 0.01;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.FAIL;
    }

    @Override
    public String remedy() {
        return "a trait named in the metadata is (almost) hidden by opaque layers above it: move"
                + " the layer, make the traits above it transparent there, or exclude the"
                + " combination";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        PlannedToken t = token.token();
        if (drop.isOneOfOne(t.id())) {
            return 1;
        }
        int pixels = drop.spec().canvas().width() * drop.spec().canvas().height();
        boolean[] cover = covered.get();
        if (cover.length < pixels) {
            cover = new boolean[pixels];
            covered.set(cover);
        }
        java.util.Arrays.fill(cover, 0, pixels, false);
        double worst = 1;
        for (int l = t.layerCount() - 1; l >= 0; l--) {
            int choice = t.choice(l);
            if (choice < 0) {
                continue;
            }
            RgbaImage layer = drop.library().image(l, choice);
            byte[] p = layer.pixels();
            long drawn = 0;
            long seen = 0;
            for (int i = 0; i < pixels; i++) {
                int a = p[i * 4 + 3] & 0xFF;
                if (a != 0) {
                    drawn++;
                    if (!cover[i]) {
                        seen++;
                    }
                    if (a == 255) {
                        cover[i] = true;
                    }
                }
            }
            worst = Math.min(worst, drawn == 0 ? 0 : (double) seen / drawn);
        }
        return worst;
    }
}
