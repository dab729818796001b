package io.serigraph.pipeline.store;

/**
 * One row of the append-only audit log. {@code hash} is SHA-256 over the other fields in the
 * canonical form of {@link DropStore#auditHash}, {@code prevHash} the previous row's hash (64 zeros
 * for the first), so editing, inserting or deleting any row breaks the chain from there on.
 */
public record AuditEvent(
        long seq,
        String at,
        String actor,
        String event,
        String data,
        String prevHash,
        String hash) {}
