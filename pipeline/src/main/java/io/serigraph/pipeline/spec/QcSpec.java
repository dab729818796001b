package io.serigraph.pipeline.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code qc:} block: the settings written for each QC check, by check name. A check not named
 * here runs with its own defaults (see {@code docs/spec.md}). The model checks ({@link
 * #MODEL_CHECKS}) run only when {@code model} names a scoring model, {@code prompt_alignment} only
 * when a {@code prompt} is given too.
 *
 * @param settings only the checks the spec configures
 * @param model the scoring model ({@code default}, {@code FAMILY} or {@code FAMILY/VERSION}), or
 *     {@code null}: no model checks
 * @param prompt what every token should show, for {@code prompt_alignment}, or {@code null}
 */
public record QcSpec(Map<String, QcSetting> settings, String model, String prompt) {
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
                    "trait_drift",
                    "aesthetic",
                    "prompt_alignment",
                    "clip_near_duplicate");

    /** The checks that need {@code model} (the last of {@link #CHECKS}). */
    public static final List<String> MODEL_CHECKS =
            List.of("aesthetic", "prompt_alignment", "clip_near_duplicate");

    public QcSpec {
        settings = Map.copyOf(settings);
    }

    /** Only check settings: no model checks. */
    public QcSpec(Map<String, QcSetting> settings) {
        this(settings, null, null);
    }

    /** No {@code qc:} block: every check with its defaults. */
    public static QcSpec defaults() {
        return new QcSpec(Map.of());
    }

    /** The scoring model, when the model checks are on. */
    public Optional<String> scoringModel() {
        return Optional.ofNullable(model);
    }

    /** The setting the spec gives {@code check}, if any. */
    public Optional<QcSetting> setting(String check) {
        return Optional.ofNullable(settings.get(check));
    }
}
