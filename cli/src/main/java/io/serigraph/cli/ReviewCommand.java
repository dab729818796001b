package io.serigraph.cli;

import io.serigraph.pipeline.qc.QcException;
import io.serigraph.pipeline.qc.ReviewLog;
import io.serigraph.pipeline.qc.ReviewQueue;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code serigraph review DIR}: decide on the tokens QC sent to review, on a local web page or
 * ({@code --cli}) in the terminal.
 */
@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = {
            "Go through the tokens of DIR that QC sent to REVIEW and approve, reject or re-roll"
                    + " each; every decision goes into the audit log with the reviewer's name.",
            "By default serves a review page on 127.0.0.1 (address printed; nothing leaves the"
                    + " machine) with each token's image and what QC measured, and decisions one"
                    + " at a time or in bulk by check; 'Finish review' on the page ends the"
                    + " command. --cli asks in the terminal instead.",
            "Tokens already decided on for their current QC result are not asked again."
                    + " Re-rolled tokens are re-drawn, re-rendered and re-checked by the next"
                    + " 'serigraph render' and 'serigraph qc'."
        })
final class ReviewCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The drop folder, after 'qc'.")
    Path dir;

    @Option(names = "--cli", description = "Review in the terminal instead of on a web page.")
    boolean cli;

    @Option(
            names = "--reviewer",
            paramLabel = "NAME",
            description = "Who decides, for the audit log (default: the user name).")
    String reviewer;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Port of the review page on 127.0.0.1 (default: a free one).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port must be 0..65535, was " + port);
        }
        String who = reviewer == null || reviewer.isBlank() ? Drops.actor() : reviewer.strip();
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        PrintStream out = System.out;
        try (DropStore store = DropStore.open(spec.outDir().resolve("drop.db"))) {
            ReviewQueue queue = new ReviewQueue(spec, store);
            List<ReviewQueue.Item> pending;
            try {
                pending = queue.pending();
            } catch (QcException e) {
                throw new BadInputException(dir + ": " + e.getMessage());
            }
            Map<ReviewLog.Decision, Integer> counts =
                    cli
                            ? terminal(queue, pending, who, out)
                            : page(spec, store, pending, who, port, out);
            out.println();
            out.printf(
                    Locale.ROOT,
                    "review: %d tokens awaited a decision; %d approved, %d rejected, %d to re-roll,"
                            + " %d left (by %s)%n",
                    pending.size(),
                    counts.getOrDefault(ReviewLog.Decision.APPROVE, 0),
                    counts.getOrDefault(ReviewLog.Decision.REJECT, 0),
                    counts.getOrDefault(ReviewLog.Decision.REROLL, 0),
                    Math.max(
                            0,
                            pending.size()
                                    - counts.values().stream().mapToInt(Integer::intValue).sum()),
                    who);
            if (counts.getOrDefault(ReviewLog.Decision.REROLL, 0) > 0) {
                out.println(
                        "next: serigraph render "
                                + dir
                                + " && serigraph qc "
                                + dir
                                + "   (re-draws, re-renders and re-checks the re-rolled tokens)");
            }
        }
        return ExitCodes.OK;
    }

    private static Map<ReviewLog.Decision, Integer> page(
            CollectionSpec spec,
            DropStore store,
            List<ReviewQueue.Item> pending,
            String who,
            int port,
            PrintStream out)
            throws IOException, InterruptedException {
        try (ReviewPage page = ReviewPage.start(spec, store, who, port)) {
            out.println(
                    "review: "
                            + pending.size()
                            + (pending.size() == 1 ? " token awaits" : " tokens await")
                            + " a decision; open "
                            + page.uri()
                            + " (press 'Finish review' there to end)");
            out.flush();
            page.awaitFinish();
            return page.counts();
        }
    }

    private static Map<ReviewLog.Decision, Integer> terminal(
            ReviewQueue queue, List<ReviewQueue.Item> pending, String who, PrintStream out)
            throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Map<ReviewLog.Decision, Integer> counts = new EnumMap<>(ReviewLog.Decision.class);
        for (ReviewQueue.Item item : pending) {
            out.println();
            out.println("token " + item.tokenId() + ": " + item.image());
            if (!item.note().isEmpty()) {
                out.println("  (" + item.note() + ")");
            }
            for (ReviewQueue.Flag f : item.flags()) {
                out.println(
                        String.format(
                                Locale.ROOT,
                                "  %s %s = %.4g (%s %.4g): %s",
                                f.verdict().name(),
                                f.check(),
                                f.value(),
                                f.failsWhen(),
                                f.threshold(),
                                f.remedy()));
            }
            ReviewLog.Decision d = null;
            boolean skip = false;
            boolean quit = false;
            while (d == null && !skip && !quit) {
                out.print(
                        item.oneOfOne()
                                ? "[a]pprove, [r]eject, [s]kip, [q]uit? "
                                : "[a]pprove, [r]eject, re-[x]oll, [s]kip, [q]uit? ");
                out.flush();
                String answer = in.readLine();
                if (answer == null) {
                    quit = true;
                    continue;
                }
                switch (answer.strip().toLowerCase(Locale.ROOT)) {
                    case "a" -> d = ReviewLog.Decision.APPROVE;
                    case "r" -> d = ReviewLog.Decision.REJECT;
                    case "x" -> d = item.oneOfOne() ? null : ReviewLog.Decision.REROLL;
                    case "s" -> skip = true;
                    case "q" -> quit = true;
                    default -> {}
                }
                if (d == null && !skip && !quit) {
                    out.println(
                            item.oneOfOne()
                                    ? "answer a, r, s or q (a one-of-one cannot be re-rolled)"
                                    : "answer a, r, x, s or q");
                }
            }
            if (quit) {
                break;
            }
            if (d != null) {
                try {
                    queue.decide(item.tokenId(), d, who);
                } catch (QcException e) {
                    throw new IOException(e.getMessage(), e);
                }
                counts.merge(d, 1, Integer::sum);
            }
        }
        return counts;
    }
}
