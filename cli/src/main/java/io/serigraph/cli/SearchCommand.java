package io.serigraph.cli;

import io.serigraph.pipeline.qc.CollectionSearch;
import io.serigraph.pipeline.qc.LocalScoreBackend;
import io.serigraph.pipeline.qc.QcException;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.ScoreStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph search DIR "QUERY"} or {@code serigraph search DIR --like N}. */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Rank the tokens of DIR against a text query (e.g. \"gold crown on a dark"
                    + " background\"), or against token N with --like, by the CLIP embeddings"
                    + " 'serigraph score' stored; prints the top K. --pairs lists near-duplicate"
                    + " pairs instead."
        })
final class SearchCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "DIR",
            description = "The drop folder (scored with 'serigraph score').")
    Path dir;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "QUERY",
            description = "What to look for, in words.")
    String query;

    @Option(names = "--like", paramLabel = "N", description = "Rank against token N instead.")
    Long like;

    @Option(
            names = "--pairs",
            paramLabel = "MIN_COSINE",
            description =
                    "List the pairs of tokens at least this similar (near duplicates, e.g. 0.98),"
                            + " most similar first, instead.")
    Double pairs;

    @Option(
            names = {"-k", "--top"},
            paramLabel = "K",
            description = "How many tokens to show (default: ${DEFAULT-VALUE}).")
    int top = 10;

    @Mixin ModelOptions model = new ModelOptions();

    @Override
    public Integer call() throws Exception {
        int modes = (query == null ? 0 : 1) + (like == null ? 0 : 1) + (pairs == null ? 0 : 1);
        if (modes != 1) {
            throw new BadInputException(
                    "give one of a QUERY (serigraph search DIR \"gold crown\"), --like N or"
                            + " --pairs MIN_COSINE, not "
                            + (modes == 0 ? "none" : modes + " of them"));
        }
        if (pairs != null && !(pairs >= -1 && pairs <= 1)) {
            throw new BadInputException(
                    "--pairs must be a cosine similarity in -1..1, was " + pairs);
        }
        if (query != null && query.isBlank()) {
            throw new BadInputException("the QUERY is empty: say what to look for");
        }
        if (top < 1) {
            throw new BadInputException("--top must be at least 1, was " + top);
        }
        PrintStream out = System.out;
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        Path file = spec.outDir().resolve(ScoreStore.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(
                    dir
                            + ": no stored embeddings ("
                            + file
                            + "); run 'serigraph score "
                            + dir
                            + "' first");
        }
        try (ScoreStore scores = ScoreStore.open(file)) {
            List<CollectionSearch.Hit> hits;
            String name;
            String what;
            if (query != null) {
                try (LocalScoreBackend backend = model.open(spec.qc().model())) {
                    name = backend.version();
                    try (CollectionSearch search = new CollectionSearch(name, scores.rows(name))) {
                        hits = search.nearest(backend.textEmbedding(query), top);
                        what = "\"" + query + "\" against " + search.size() + " tokens";
                    }
                }
            } else if (like != null) {
                name = storedModel(scores.models());
                try (CollectionSearch search = new CollectionSearch(name, scores.rows(name))) {
                    hits = search.like(like, top);
                    what = "token " + like + " against " + search.size() + " tokens";
                }
            } else {
                name = storedModel(scores.models());
                try (CollectionSearch search = new CollectionSearch(name, scores.rows(name))) {
                    List<CollectionSearch.Pair> found = search.pairsAtLeast(pairs, top);
                    out.printf(
                            Locale.ROOT,
                            "search: pairs at cosine >= %s among %d tokens (%s): %d shown%n",
                            pairs,
                            search.size(),
                            name,
                            found.size());
                    out.println(pairTable(found));
                    return ExitCodes.OK;
                }
            }
            out.println("search: " + what + " (" + name + ")");
            out.println(table(hits));
            return ExitCodes.OK;
        } catch (QcException e) {
            throw new BadInputException(dir + ": " + e.getMessage());
        }
    }

    /** The stored model --like searches: --model's (by name or family), or the only one stored. */
    private String storedModel(Map<String, Integer> stored) throws BadInputException {
        if (stored.isEmpty()) {
            throw new BadInputException(
                    dir + ": no stored embeddings; run 'serigraph score " + dir + "' first");
        }
        String wanted = model.model;
        List<String> matching =
                stored.keySet().stream()
                        .filter(
                                m ->
                                        wanted == null
                                                || m.equals(wanted)
                                                || m.startsWith(wanted + "/"))
                        .toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        throw new BadInputException(
                dir
                        + ": "
                        + (matching.isEmpty()
                                ? "no stored embeddings of " + wanted
                                : "several models have stored embeddings")
                        + " (stored: "
                        + String.join(", ", stored.keySet())
                        + "); name one with --model");
    }

    /** The pairs table: token, token, cosine similarity. */
    static String pairTable(List<CollectionSearch.Pair> pairs) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%8s  %8s  %8s%n", "token", "token", "cosine"));
        for (CollectionSearch.Pair p : pairs) {
            s.append(
                    String.format(
                            Locale.ROOT, "%8d  %8d  %8.4f%n", p.first(), p.second(), p.cosine()));
        }
        return s.toString().stripTrailing();
    }

    /** The top-k table: rank, token, cosine similarity, aesthetic score. */
    static String table(List<CollectionSearch.Hit> hits) {
        StringBuilder s = new StringBuilder();
        s.append(
                String.format(
                        Locale.ROOT,
                        "%4s  %8s  %8s  %9s%n",
                        "rank",
                        "token",
                        "cosine",
                        "aesthetic"));
        for (CollectionSearch.Hit h : hits) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%4d  %8d  %8.4f  %9s%n",
                            h.rank(),
                            h.tokenId(),
                            h.cosine(),
                            Double.isNaN(h.aesthetic())
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.3f", h.aesthetic())));
        }
        return s.toString().stripTrailing();
    }
}
