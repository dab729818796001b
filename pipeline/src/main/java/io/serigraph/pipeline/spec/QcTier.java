package io.serigraph.pipeline.spec;

import java.util.Locale;

/**
 * What a QC check's crossed threshold means for the token: blocked, a person decides, or nothing.
 */
public enum QcTier {
    /** The token is blocked until the remedy is applied. */
    FAIL,
    /** A person decides. */
    REVIEW,
    /** The check is measured and archived but never changes a verdict. */
    OFF;

    /** The name as written in the spec: {@code fail}, {@code review}, {@code off}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The tier named {@code text} in the spec, or {@code null}. */
    public static QcTier fromSpecName(String text) {
        for (QcTier t : values()) {
            if (t.specName().equals(text)) {
                return t;
            }
        }
        return null;
    }
}
