package io.serigraph.pipeline.qc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.store.AuditEvent;
import io.serigraph.pipeline.store.DropStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A person's decisions on tokens that QC sent to review, kept in the store's hash-chained audit log
 * as {@code review.decision} events: {@code {"token_id", "decision", "qc_lineage"}}, the actor
 * being the reviewer. A decision holds for the QC result it was made on: once a token's QC lineage
 * changes, it needs a new one.
 */
public final class ReviewLog {
    /** The audit event name. */
    public static final String EVENT = "review.decision";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a reviewer decided. */
    public enum Decision {
        /** The token is accepted as it is. */
        APPROVE,
        /** The token is blocked. */
        REJECT,
        /** The token should be drawn again with other traits. */
        REROLL;

        public String specName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A recorded decision.
     *
     * @param seq the audit log sequence number of the decision
     * @param at when it was made (UTC, ISO-8601)
     */
    public record Entry(
            long tokenId,
            Decision decision,
            String reviewer,
            String qcLineage,
            long seq,
            String at) {}

    private ReviewLog() {}

    /** Appends a decision to the audit log. */
    public static Entry record(
            DropStore store, long tokenId, Decision decision, String reviewer, String qcLineage) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token_id", tokenId);
        data.put("decision", decision.specName());
        data.put("qc_lineage", qcLineage);
        AuditEvent e = store.appendAudit(reviewer, EVENT, TokenMetadata.compact(data));
        return new Entry(tokenId, decision, reviewer, qcLineage, e.seq(), e.at());
    }

    /** The latest decision on each token, by token id. */
    public static Map<Long, Entry> latest(DropStore store) {
        Map<Long, Entry> out = new TreeMap<>();
        for (AuditEvent e : store.audit()) {
            if (!e.event().equals(EVENT)) {
                continue;
            }
            JsonNode data;
            try {
                data = MAPPER.readTree(e.data());
            } catch (IOException ex) {
                throw new IllegalStateException(
                        "audit row " + e.seq() + " is not JSON: " + ex.getMessage(), ex);
            }
            long id = data.path("token_id").asLong();
            out.put(
                    id,
                    new Entry(
                            id,
                            Decision.valueOf(
                                    data.path("decision").asText().toUpperCase(Locale.ROOT)),
                            e.actor(),
                            data.path("qc_lineage").asText(),
                            e.seq(),
                            e.at()));
        }
        return out;
    }
}
