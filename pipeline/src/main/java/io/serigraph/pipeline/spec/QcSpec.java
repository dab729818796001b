package io.serigraph.pipeline.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code qc:} block: the settings written for each QC check, by check name. A check not named
 * here runs with its own defaults (see {@code docs/spec.md}).
 *
 * @param settings only the checks the spec configures
 */
public record QcSpec(Map<String, QcSetting> settings) {
    /** Every check the {@code qc:} block may configure, in report order. */
    public static final List<String> CHECKS =
            List.of(
                    "canvas",
                    "alpha_coverage",
                    "fringe",
                    "blank",
                    "clipping",
                    "metadata_schema",
                    "parity",
                    "exact_duplicate",
                    "near_duplicate",
                    "trait_drift");

    public QcSpec {
        settings = Map.copyOf(settings);
    }

    /** No {@code qc:} block: every check with its defaults. */
    public static QcSpec defaults() {
        return new QcSpec(Map.of());
    }

    /** The setting the spec gives {@code check}, if any. */
    public Optional<QcSetting> setting(String check) {
        return Optional.ofNullable(settings.get(check));
    }
}
