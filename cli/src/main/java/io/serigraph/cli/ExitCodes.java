package io.serigraph.cli;

/** The command's exit codes, for scripts. */
public final class ExitCodes {
    /** Everything asked for was done. */
    public static final int OK = 0;

    /** Something failed (an I/O error, a failed check); what was done before it is kept. */
    public static final int FAILURE = 1;

    /** Bad input: a bad spec, a bad option, a missing file. Nothing was written. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {}
}
