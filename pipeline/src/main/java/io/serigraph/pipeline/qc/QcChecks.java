package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.spec.QcSpec;
import java.util.ArrayList;
import java.util.List;

/** The built-in checks. */
public final class QcChecks {
    private QcChecks() {}

    /** Every built-in check, in report order (the order of {@code QcSpec.CHECKS}). */
    public static List<QcCheck> all() {
        return List.of(
                new CanvasCheck(),
                new AlphaCoverageCheck(),
                new FringeCheck(),
                new BlankCheck(),
                new ClippingCheck(),
                new MetadataSchemaCheck(),
                new ParityCheck(),
                new ExactDuplicateCheck(),
                new NearDuplicateCheck(),
                new TraitDriftCheck());
    }

    /**
     * The model checks {@code qc} turns on (none without {@code qc.model}), in report order:
     * aesthetic (when the model has an aesthetic head), prompt alignment (when {@code qc.prompt} is
     * set), CLIP near duplicates.
     */
    public static List<QcCheck> model(QcSpec qc, boolean aesthetic) {
        List<QcCheck> out = new ArrayList<>();
        if (qc.scoringModel().isEmpty()) {
            return out;
        }
        if (aesthetic) {
            out.add(new AestheticCheck());
        }
        if (qc.prompt() != null) {
            out.add(new PromptAlignmentCheck());
        }
        out.add(new ClipNearDuplicateCheck());
        return out;
    }
}
