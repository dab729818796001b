package io.serigraph.pipeline.qc;

import java.util.List;

/**
 * One token's QC result, as archived in {@code out/qc/<id>.json}.
 *
 * @param imageSha256 SHA-256 of the image checked
 * @param renderLineage the render stage's lineage of the image
 * @param lineage SHA-256 of the QC inputs and configuration (the {@code qc} stage's lineage)
 * @param phash the image's 64-bit DCT perceptual hash
 */
public record QcResult(
        long tokenId,
        Verdict verdict,
        List<Measurement> measurements,
        String imageSha256,
        String renderLineage,
        String metadataSha256,
        String lineage,
        long phash) {

    /**
     * One check's outcome.
     *
     * @param higherIsWorse the direction of the comparison with {@code threshold}
     * @param tier the configured tier ({@code fail}, {@code review} or {@code off})
     * @param remedy what to do; empty when the verdict is PASS
     */
    public record Measurement(
            String check,
            double value,
            double threshold,
            boolean higherIsWorse,
            String tier,
            Verdict verdict,
            String remedy) {}

    public QcResult {
        measurements = List.copyOf(measurements);
    }
}
