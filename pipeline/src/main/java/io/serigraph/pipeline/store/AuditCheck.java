package io.serigraph.pipeline.store;

/**
 * The result of checking the audit log's hash chain.
 *
 * @param rows rows checked
 * @param brokenSeq the first row whose hash or link does not hold, or -1 when the chain is intact
 * @param problem what is wrong with that row, or {@code null}
 */
public record AuditCheck(long rows, long brokenSeq, String problem) {
    public boolean intact() {
        return brokenSeq < 0;
    }
}
