package io.serigraph.pipeline.qc;

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
}
