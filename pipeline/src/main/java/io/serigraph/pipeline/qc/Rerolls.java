package io.serigraph.pipeline.qc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlanException;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.plan.Reroller;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.AuditEvent;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.RerollRecord;
import io.serigraph.pipeline.store.StageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out the reviewers' re-roll decisions. The plan a drop's stages work on is the spec's plan
 * with every applied re-roll laid over it ({@link #overlay}); {@link #apply} first applies the
 * re-roll decisions not yet applied: each is re-planned by {@link Reroller} (round 1 for a token's
 * first re-roll, then 2, ...), and recorded once in the store together with the invalidation of the
 * token's render, QC and publish results, so the next render re-renders exactly the re-rolled
 * tokens and QC and publish redo them. A decision is applied once: the store keeps the audit
 * sequence number of the decision each re-roll carried out. A decision made on a QC result that is
 * no longer the token's (it was re-rendered or re-checked since) is not applied. A re-roll that is
 * impossible is refused once ({@link #REFUSED} in the audit log) and the token goes back to the
 * review queue for another decision.
 */
public final class Rerolls {
    /** The audit event of an applied re-roll. */
    public static final String EVENT = "reroll.applied";

    /**
     * The audit event of a re-roll decision that could not be carried out: {@code {"token_id",
     * "decision_seq", "reason"}}. The token goes back to the review queue.
     */
    public static final String REFUSED = "reroll.refused";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Rerolls() {}

    /** {@code plan} with the re-rolls already applied to it (nothing is written). */
    public static Plan overlay(Plan plan, DropStore store) {
        Map<Long, int[]> replaced = new HashMap<>();
        for (RerollRecord r : store.rerolls().values()) {
            if (r.planHash().equals(plan.hash()) && plan.contains(r.tokenId())) {
                replaced.put(r.tokenId(), PlannedToken.choicesOf(r.dna(), plan.layers().size()));
            }
        }
        return plan.withChoices(replaced);
    }

    /**
     * Applies the pending re-roll decisions and returns the plan with every re-roll laid over it.
     *
     * @param plan the spec's plan ({@code new Planner().plan(spec)})
     * @throws QcException naming the token when a re-roll is impossible (a one-of-one, no draw that
     *     keeps DNA unique and the rules and quotas, or a drop already minting); re-rolls applied
     *     before it stay applied
     */
    public static Plan apply(CollectionSpec spec, Plan plan, DropStore store, String actor)
            throws QcException {
        Plan current = overlay(plan, store);
        Map<Long, RerollRecord> done = store.rerolls();
        Map<Long, StageRecord> checked = store.stageRecords(QcStage.STAGE);
        Map<Long, String> refused = refused(store);
        List<ReviewLog.Entry> pending = new ArrayList<>();
        for (ReviewLog.Entry e : ReviewLog.latest(store).values()) {
            RerollRecord prev = done.get(e.tokenId());
            StageRecord qc = checked.get(e.tokenId());
            if (e.decision() == ReviewLog.Decision.REROLL
                    && (prev == null || prev.decisionSeq() < e.seq())
                    && !refused.containsKey(e.seq())
                    && qc != null
                    && qc.lineageHash().equals(e.qcLineage())
                    && plan.contains(e.tokenId())) {
                pending.add(e);
            }
        }
        if (pending.isEmpty()) {
            return current;
        }
        if (!store.mintBatches().isEmpty()) {
            throw new QcException(
                    "token "
                            + pending.get(0).tokenId()
                            + ": re-roll asked for, but minting has begun and minted traits cannot"
                            + " change; approve or reject it instead");
        }
        pending.sort(Comparator.comparingLong(ReviewLog.Entry::seq));
        Reroller reroller = new Reroller(spec, plan);
        for (ReviewLog.Entry e : pending) {
            long id = e.tokenId();
            RerollRecord prev = done.get(id);
            int round = prev != null && prev.planHash().equals(plan.hash()) ? prev.round() + 1 : 1;
            int[] choices;
            try {
                choices = reroller.reroll(current, id, round);
            } catch (PlanException ex) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("token_id", id);
                data.put("decision_seq", e.seq());
                data.put("reason", ex.getMessage());
                store.appendAudit(actor, REFUSED, TokenMetadata.compact(data));
                throw new QcException(
                        ex.getMessage()
                                + " (the token is back in review: 'serigraph review "
                                + spec.baseDir()
                                + "')",
                        ex);
            }
            int index = (int) (id - plan.startId());
            String from = current.get(index).dna();
            current = current.withChoices(Map.of(id, choices));
            String to = current.get(index).dna();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("token_id", id);
            data.put("round", round);
            data.put("from_dna", from);
            data.put("to_dna", to);
            data.put("decision_seq", e.seq());
            data.put("reviewer", e.reviewer());
            store.recordReroll(
                    new RerollRecord(id, plan.hash(), round, to, e.seq()),
                    TokenMetadata.compact(TokenMetadata.attributes(current, index)),
                    actor,
                    TokenMetadata.compact(data));
        }
        return current;
    }

    /** The re-roll decisions refused so far: decision audit sequence number to the reason. */
    static Map<Long, String> refused(DropStore store) {
        Map<Long, String> out = new HashMap<>();
        for (AuditEvent e : store.audit()) {
            if (e.event().equals(REFUSED)) {
                try {
                    JsonNode data = MAPPER.readTree(e.data());
                    out.put(data.path("decision_seq").asLong(), data.path("reason").asText());
                } catch (IOException ex) {
                    throw new IllegalStateException(
                            "audit row " + e.seq() + " is not JSON: " + ex.getMessage(), ex);
                }
            }
        }
        return out;
    }
}
