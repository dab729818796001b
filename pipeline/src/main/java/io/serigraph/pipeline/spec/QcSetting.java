package io.serigraph.pipeline.spec;

/**
 * One QC check's configuration as written; a part left out is {@code null} and the check's default
 * applies.
 *
 * @param threshold the value the check's measurement is compared with (its meaning and direction
 *     belong to the check, {@code docs/spec.md}), or {@code null}
 * @param tier what crossing the threshold does, or {@code null}
 */
public record QcSetting(Double threshold, QcTier tier) {}
