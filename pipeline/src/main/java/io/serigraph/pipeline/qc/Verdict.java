package io.serigraph.pipeline.qc;

/** A QC verdict, from best to worst. */
public enum Verdict {
    /** Accepted automatically. */
    PASS,
    /** A person decides. */
    REVIEW,
    /** Blocked, with a remedy. */
    FAIL;

    /** The worse of the two. */
    public Verdict worst(Verdict other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
