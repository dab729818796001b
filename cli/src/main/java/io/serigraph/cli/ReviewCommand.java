package io.serigraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.qc.ReviewLog;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.StageRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph review DIR --cli}: decide, in the terminal, on the tokens QC sent to review. */
@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = {
            "Go through the tokens of DIR that QC sent to REVIEW and approve, reject or re-roll"
                    + " each; every decision goes into the audit log with the reviewer's name.",
            "Tokens already decided on for their current QC result are not asked again."
        })
final class ReviewCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "DIR", description = "The drop folder, after 'qc'.")
    Path dir;

    @Option(
            names = "--cli",
            description = "Review in the terminal (the only mode for now; a web page will come).")
    boolean cli;

    @Option(
            names = "--reviewer",
            paramLabel = "NAME",
            description = "Who decides, for the audit log (default: the user name).")
    String reviewer;

    @Override
    public Integer call() throws Exception {
        if (!cli) {
            throw new BadInputException(
                    "only the terminal review exists for now: run 'serigraph review "
                            + dir
                            + " --cli'");
        }
        String who = reviewer == null || reviewer.isBlank() ? Drops.actor() : reviewer.strip();
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        PrintStream out = System.out;
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (DropStore store = DropStore.open(spec.outDir().resolve("drop.db"))) {
            Map<Long, String> verdicts = new TreeMap<>(store.verdicts());
            if (verdicts.isEmpty()) {
                throw new BadInputException(
                        dir + ": no QC verdicts yet; run 'serigraph qc " + dir + "' first");
            }
            Map<Long, StageRecord> qc = store.stageRecords(QcStage.STAGE);
            Map<Long, ReviewLog.Entry> decided = ReviewLog.latest(store);
            Map<ReviewLog.Decision, Integer> counts = new EnumMap<>(ReviewLog.Decision.class);
            int pending = 0;
            for (Map.Entry<Long, String> v : verdicts.entrySet()) {
                long id = v.getKey();
                StageRecord record = qc.get(id);
                if (!v.getValue().equals("REVIEW") || record == null) {
                    continue;
                }
                ReviewLog.Entry previous = decided.get(id);
                if (previous != null && previous.qcLineage().equals(record.lineageHash())) {
                    continue;
                }
                pending++;
                Path archive = spec.outDir().resolve("qc").resolve(id + ".json");
                out.println();
                out.println("token " + id + ": " + spec.outDir().resolve("images/" + id + ".png"));
                for (String line : flagged(archive)) {
                    out.println("  " + line);
                }
                ReviewLog.Decision d = null;
                boolean skip = false;
                boolean quit = false;
                while (d == null && !skip && !quit) {
                    out.print("[a]pprove, [r]eject, re-[x]oll, [s]kip, [q]uit? ");
                    out.flush();
                    String answer = in.readLine();
                    if (answer == null) {
                        quit = true;
                        continue;
                    }
                    switch (answer.strip().toLowerCase(Locale.ROOT)) {
                        case "a" -> d = ReviewLog.Decision.APPROVE;
                        case "r" -> d = ReviewLog.Decision.REJECT;
                        case "x" -> d = ReviewLog.Decision.REROLL;
                        case "s" -> skip = true;
                        case "q" -> quit = true;
                        default -> out.println("answer a, r, x, s or q");
                    }
                }
                if (quit) {
                    break;
                }
                if (d != null) {
                    ReviewLog.record(store, id, d, who, record.lineageHash());
                    counts.merge(d, 1, Integer::sum);
                }
            }
            out.println();
            out.printf(
                    Locale.ROOT,
                    "review: %d tokens awaited a decision; %d approved, %d rejected, %d to re-roll,"
                            + " %d left (by %s)%n",
                    pending,
                    counts.getOrDefault(ReviewLog.Decision.APPROVE, 0),
                    counts.getOrDefault(ReviewLog.Decision.REJECT, 0),
                    counts.getOrDefault(ReviewLog.Decision.REROLL, 0),
                    pending - counts.values().stream().mapToInt(Integer::intValue).sum(),
                    who);
        }
        return ExitCodes.OK;
    }

    /** The checks of the archived QC result that did not pass, one line each. */
    private static java.util.List<String> flagged(Path archive) throws java.io.IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (!Files.isRegularFile(archive)) {
            lines.add("(no QC archive at " + archive + "; rerun 'serigraph qc')");
            return lines;
        }
        JsonNode doc = MAPPER.readTree(archive.toFile());
        for (JsonNode c : doc.path("checks")) {
            if (!c.path("verdict").asText().equals("PASS")) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "%s %s = %.4g (%s %.4g): %s",
                                c.path("verdict").asText(),
                                c.path("check").asText(),
                                c.path("value").asDouble(),
                                c.path("fails_when").asText(),
                                c.path("threshold").asDouble(),
                                c.path("remedy").asText()));
            }
        }
        return lines;
    }
}
