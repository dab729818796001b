package io.serigraph.pipeline.qc;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.Hashes;
import io.serigraph.pipeline.store.ScoreStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The score stage ({@code serigraph score}, and QC when {@code qc.model} is set): embeds and scores
 * every rendered token through a {@link ScoreBackend} and stores each token's embedding and
 * aesthetic score in the score store ({@code out/scores.db}) with the hashes of its image and of
 * the model. A rerun scores only the tokens whose image or model changed; a run killed anywhere
 * keeps every row it committed (rows are committed in small groups) and the rerun does the rest.
 */
public final class ScoreStage {
    /** Rows committed together. */
    private static final int GROUP = 32;

    /**
     * @param threads scoring threads; more than one lets the model batch concurrent images
     * @param force rescore every token even when its row is up to date
     * @param actor who runs it, for the audit log
     */
    public record Options(int threads, boolean force, String actor) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
        }
    }

    /** Progress callbacks, called from scoring threads. */
    public interface Listener {
        void begin(int total, int toScore);

        /** A token was embedded and scored (not called for tokens whose row was up to date). */
        void scored(long tokenId);
    }

    /** A listener that shows nothing. */
    public static final Listener SILENT =
            new Listener() {
                @Override
                public void begin(int total, int toScore) {}

                @Override
                public void scored(long tokenId) {}
            };

    /**
     * What a run did.
     *
     * @param scored tokens embedded and scored now (the rest were up to date)
     * @param model the scoring model's name ({@link ScoreBackend#version()})
     */
    public record Report(int total, int scored, String model, Duration elapsed) {}

    private final CollectionSpec spec;
    private final DropStore store;
    private final ScoreStore scores;
    private final ScoreBackend backend;

    public ScoreStage(
            CollectionSpec spec, DropStore store, ScoreStore scores, ScoreBackend backend) {
        this.spec = spec;
        this.store = store;
        this.scores = scores;
        this.backend = backend;
    }

    /**
     * Scores every token of {@code plan}, which must all have been rendered.
     *
     * @throws QcException when a token is not rendered, its image is not a PNG, or the model fails
     */
    public Report run(Plan plan, Options options, Listener listener)
            throws QcException, IOException {
        long start = System.nanoTime();
        Path images = spec.outDir().resolve("images");
        List<PlannedToken> tokens = plan.tokens();
        requireRendered(store, images, tokens);
        String model = backend.version();
        String modelSha = backend.modelSha256();
        Map<Long, ScoreStore.Row> previous = scores.rows(model);
        int n = tokens.size();
        String[] shas = new String[n];
        boolean[] todo = new boolean[n];
        QcStage.forEach(
                n,
                options.threads(),
                i -> {
                    long id = tokens.get(i).id();
                    shas[i] = Hashes.sha256Hex(Files.readAllBytes(images.resolve(id + ".png")));
                    ScoreStore.Row row = previous.get(id);
                    todo[i] =
                            options.force()
                                    || row == null
                                    || !row.imageSha256().equals(shas[i])
                                    || !row.modelSha256().equals(modelSha);
                });
        List<Integer> work = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (todo[i]) {
                work.add(i);
            }
        }
        listener.begin(n, work.size());
        Map<String, Object> startEvent = new LinkedHashMap<>();
        startEvent.put("tokens", n);
        startEvent.put("to_score", work.size());
        startEvent.put("model", model);
        startEvent.put("model_sha256", modelSha);
        store.appendAudit(options.actor(), "score.start", TokenMetadata.compact(startEvent));
        List<ScoreStore.Row> pending = new ArrayList<>();
        try {
            QcStage.forEach(
                    work.size(),
                    options.threads(),
                    k -> {
                        int i = work.get(k);
                        long id = tokens.get(i).id();
                        byte[] png = Files.readAllBytes(images.resolve(id + ".png"));
                        if (!Hashes.sha256Hex(png).equals(shas[i])) {
                            throw new QcException(
                                    "token "
                                            + id
                                            + ": out/images/"
                                            + id
                                            + ".png changed while scoring; run it again");
                        }
                        ScoreBackend.ImageScores s = score(id, png);
                        ScoreStore.Row row =
                                new ScoreStore.Row(
                                        id, model, modelSha, shas[i], s.aesthetic(), s.embedding());
                        List<ScoreStore.Row> group = null;
                        synchronized (pending) {
                            pending.add(row);
                            if (pending.size() >= GROUP) {
                                group = new ArrayList<>(pending);
                                pending.clear();
                            }
                        }
                        if (group != null) {
                            scores.put(group);
                        }
                        listener.scored(id);
                    });
        } finally {
            // Also on failure: what was scored is kept, and a rerun does only the rest.
            synchronized (pending) {
                scores.put(pending);
            }
        }
        Map<String, Object> doneEvent = new LinkedHashMap<>();
        doneEvent.put("tokens", n);
        doneEvent.put("scored", work.size());
        doneEvent.put("model", model);
        store.appendAudit(options.actor(), "score.done", TokenMetadata.compact(doneEvent));
        return new Report(n, work.size(), model, Duration.ofNanos(System.nanoTime() - start));
    }

    private ScoreBackend.ImageScores score(long id, byte[] png) throws QcException {
        try {
            return backend.score(png);
        } catch (io.serigraph.engine.png.PngFormatException e) {
            throw new QcException(
                    "token "
                            + id
                            + ": out/images/"
                            + id
                            + ".png is not a valid PNG ("
                            + e.getMessage()
                            + "); re-render it with 'serigraph render --force'",
                    e);
        } catch (Exception e) {
            throw new QcException(
                    "token " + id + ": scoring with " + backend.version() + " failed: " + e, e);
        }
    }

    /** Every token of {@code tokens} rendered (recorded and its image and metadata present). */
    static void requireRendered(DropStore store, Path images, List<PlannedToken> tokens)
            throws QcException {
        var rendered = store.stageRecords(RenderStage.STAGE);
        Path metadataDir = images.resolveSibling("metadata");
        List<Long> missing = new ArrayList<>();
        for (PlannedToken t : tokens) {
            if (!rendered.containsKey(t.id())
                    || !Files.isRegularFile(images.resolve(t.id() + ".png"))
                    || !Files.isRegularFile(metadataDir.resolve(t.id() + ".json"))) {
                missing.add(t.id());
            }
        }
        if (!missing.isEmpty()) {
            throw new QcException(
                    missing.size()
                            + " of "
                            + tokens.size()
                            + " tokens are not rendered (first: "
                            + missing.get(0)
                            + "); run 'serigraph render' first");
        }
    }
}
