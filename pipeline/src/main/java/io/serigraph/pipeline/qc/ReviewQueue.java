package io.serigraph.pipeline.qc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.StageRecord;
import io.serigraph.pipeline.store.TokenRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tokens QC sent to review that still await a decision, with what QC found, and the one way
 * decisions are made on them: the terminal review and the review page both go through {@link
 * #decide} and {@link #decideAll}, which record in the audit log through {@link ReviewLog}. A token
 * awaits a decision while its verdict is REVIEW and no decision was made on its current QC result,
 * or the re-roll decided on it was refused ({@link Rerolls#REFUSED}).
 */
public final class ReviewQueue {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A check that did not pass, as archived in {@code out/qc/<id>.json}.
     *
     * @param failsWhen {@code above} or {@code below}: the direction of the threshold
     */
    public record Flag(
            String check,
            double value,
            double threshold,
            String failsWhen,
            Verdict verdict,
            String remedy) {}

    /**
     * A token awaiting a decision.
     *
     * @param qcLineage the QC result the decision will be made on
     * @param image its image, {@code out/images/<id>.png}
     * @param flags the checks that did not pass; empty when the archive is missing
     * @param note what else the reviewer should know (a missing archive, a refused re-roll), or
     *     empty
     * @param oneOfOne whether it is a one-of-one (which cannot be re-rolled)
     */
    public record Item(
            long tokenId,
            String qcLineage,
            Path image,
            List<Flag> flags,
            String note,
            boolean oneOfOne) {
        public Item {
            flags = List.copyOf(flags);
        }

        /** Whether QC flagged the token with {@code check}. */
        public boolean flaggedBy(String check) {
            return flags.stream().anyMatch(f -> f.check().equals(check));
        }
    }

    private final CollectionSpec spec;
    private final DropStore store;

    public ReviewQueue(CollectionSpec spec, DropStore store) {
        this.spec = spec;
        this.store = store;
    }

    /**
     * The tokens awaiting a decision, in id order.
     *
     * @throws QcException when QC has not run on the drop
     */
    public List<Item> pending() throws QcException, IOException {
        Map<Long, String> verdicts = new TreeMap<>(store.verdicts());
        if (verdicts.isEmpty()) {
            throw new QcException(
                    "no QC verdicts yet; run 'serigraph qc " + spec.baseDir() + "' first");
        }
        Map<Long, StageRecord> qc = store.stageRecords(QcStage.STAGE);
        Map<Long, ReviewLog.Entry> decided = ReviewLog.latest(store);
        Map<Long, String> refused = Rerolls.refused(store);
        Set<Long> ones = new TreeSet<>();
        for (TokenRow t : store.tokens()) {
            if (t.dna().startsWith("one-of-one:")) {
                ones.add(t.id());
            }
        }
        List<Item> out = new ArrayList<>();
        for (Map.Entry<Long, String> v : verdicts.entrySet()) {
            long id = v.getKey();
            StageRecord record = qc.get(id);
            if (!v.getValue().equals(Verdict.REVIEW.name()) || record == null) {
                continue;
            }
            ReviewLog.Entry previous = decided.get(id);
            String note = "";
            if (previous != null && previous.qcLineage().equals(record.lineageHash())) {
                if (!refused.containsKey(previous.seq())) {
                    continue;
                }
                note = "re-roll refused: " + refused.get(previous.seq());
            }
            Path archive = spec.outDir().resolve("qc").resolve(id + ".json");
            List<Flag> flags = new ArrayList<>();
            if (Files.isRegularFile(archive)) {
                flags = flags(archive);
            } else {
                note = "no QC archive at " + archive + "; rerun 'serigraph qc'";
            }
            out.add(
                    new Item(
                            id,
                            record.lineageHash(),
                            spec.outDir().resolve("images").resolve(id + ".png"),
                            flags,
                            note,
                            ones.contains(id)));
        }
        return out;
    }

    /**
     * Records a decision on one token awaiting it.
     *
     * @throws QcException naming the token when it does not await a decision, or when a one-of-one
     *     is to be re-rolled
     */
    public ReviewLog.Entry decide(long tokenId, ReviewLog.Decision decision, String reviewer)
            throws QcException, IOException {
        for (Item item : pending()) {
            if (item.tokenId() == tokenId) {
                refuseOneOfOneReroll(List.of(item), decision);
                return ReviewLog.record(store, tokenId, decision, reviewer, item.qcLineage());
            }
        }
        throw new QcException(
                "token "
                        + tokenId
                        + " does not await a review decision (not sent to REVIEW by QC, or already"
                        + " decided on for its current QC result)");
    }

    /**
     * Records the same decision on every token awaiting one that QC flagged with {@code check}.
     * Nothing is recorded when any of them refuses it (a one-of-one to re-roll).
     *
     * @return the decisions recorded, in id order (none when no token awaiting a decision has that
     *     flag)
     */
    public List<ReviewLog.Entry> decideAll(
            String check, ReviewLog.Decision decision, String reviewer)
            throws QcException, IOException {
        List<Item> items = pending().stream().filter(i -> i.flaggedBy(check)).toList();
        refuseOneOfOneReroll(items, decision);
        List<ReviewLog.Entry> out = new ArrayList<>();
        for (Item item : items) {
            out.add(ReviewLog.record(store, item.tokenId(), decision, reviewer, item.qcLineage()));
        }
        return out;
    }

    /** Per check, how many tokens awaiting a decision it flagged (checks in first-seen order). */
    public static Map<String, Integer> countByCheck(List<Item> items) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Item i : items) {
            for (Flag f : i.flags()) {
                out.merge(f.check(), 1, Integer::sum);
            }
        }
        return out;
    }

    private static void refuseOneOfOneReroll(List<Item> items, ReviewLog.Decision decision)
            throws QcException {
        if (decision != ReviewLog.Decision.REROLL) {
            return;
        }
        List<Long> ones = items.stream().filter(Item::oneOfOne).map(Item::tokenId).toList();
        if (!ones.isEmpty()) {
            throw new QcException(
                    (ones.size() == 1 ? "token " : "tokens ")
                            + ones.stream()
                                    .map(String::valueOf)
                                    .reduce((a, b) -> a + ", " + b)
                                    .get()
                            + (ones.size() == 1 ? " is a one-of-one" : " are one-of-ones")
                            + ": hand-made art cannot be re-rolled; approve or reject instead");
        }
    }

    private static List<Flag> flags(Path archive) throws IOException {
        List<Flag> out = new ArrayList<>();
        JsonNode doc = MAPPER.readTree(archive.toFile());
        for (JsonNode c : doc.path("checks")) {
            String verdict = c.path("verdict").asText();
            if (Arrays.stream(Verdict.values()).noneMatch(v -> v.name().equals(verdict))) {
                throw new IOException(
                        archive
                                + ": check '"
                                + c.path("check").asText()
                                + "' has no verdict;"
                                + " rerun 'serigraph qc --force'");
            }
            if (!verdict.equals(Verdict.PASS.name())) {
                out.add(
                        new Flag(
                                c.path("check").asText(),
                                c.path("value").asDouble(),
                                c.path("threshold").asDouble(),
                                c.path("fails_when").asText(),
                                Verdict.valueOf(verdict),
                                c.path("remedy").asText()));
            }
        }
        return out;
    }
}
