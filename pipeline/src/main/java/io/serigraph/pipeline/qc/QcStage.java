package io.serigraph.pipeline.qc;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngDecoder;
import io.serigraph.engine.png.PngFormatException;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.QcSetting;
import io.serigraph.pipeline.spec.QcSpec;
import io.serigraph.pipeline.spec.QcTier;
import io.serigraph.pipeline.store.AtomicFiles;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.Hashes;
import io.serigraph.pipeline.store.ScoreStore;
import io.serigraph.pipeline.store.StageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The QC stage: runs every check on every rendered token, gives each a verdict, archives the
 * verdict with every measured value, threshold and input hash in {@code out/qc/<id>.json}, and
 * records a {@code qc} stage result (lineage: the inputs and the QC configuration) and the verdict
 * in the state store. A rerun skips decoding and the per-token checks of tokens whose lineage is
 * unchanged, reusing the archived values; the set checks (duplicates, drift) are always redone,
 * since they depend on every token.
 */
public final class QcStage {
    /** The stage name in the state store. */
    public static final String STAGE = "qc";

    /** Version of the QC measurements and lineage record; bump when a check's meaning changes. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY =
            MAPPER.writer(
                    new DefaultPrettyPrinter()
                            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    /**
     * @param threads checking threads (at least 1)
     * @param force re-measure every token even when its lineage matches
     * @param actor who runs it, for the audit log
     */
    public record Options(int threads, boolean force, String actor) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
        }
    }

    /** Progress callbacks, called from checking threads. */
    public interface Listener {
        void begin(int total, int toMeasure);

        /** A token was decoded and measured (not called for tokens whose values are reused). */
        void checked(long tokenId);
    }

    /**
     * What a run found.
     *
     * @param measured tokens decoded and measured now (the rest reused their archived values)
     * @param verdicts tokens per verdict
     * @param perCheck per check, tokens per verdict it gave
     * @param results every token's result, in plan order
     */
    public record Report(
            int total,
            int measured,
            Map<Verdict, Integer> verdicts,
            Map<String, Map<Verdict, Integer>> perCheck,
            List<QcResult> results,
            Duration elapsed) {

        /** The worst verdict of any token (PASS for an empty drop). */
        public Verdict worst() {
            Verdict w = Verdict.PASS;
            for (QcResult r : results) {
                w = w.worst(r.verdict());
            }
            return w;
        }
    }

    private record Resolved(QcCheck check, double threshold, QcTier tier) {}

    private record Measured(double[] tokenValues, long phash) {}

    /** Scoring threads when the model checks run: they wait on the model's batcher, mostly. */
    private static final int SCORING_THREADS = 16;

    private final CollectionSpec spec;
    private final DropStore store;
    private final List<Resolved> checks;
    private final ScoreBackend scores;

    /**
     * The stage with the built-in checks. With {@code qc.model} set in the spec its model checks
     * are on too, and {@link #run} refuses: use {@link #QcStage(CollectionSpec, DropStore,
     * ScoreBackend)}.
     */
    public QcStage(CollectionSpec spec, DropStore store) {
        this(spec, store, withModelChecks(spec, true), null);
    }

    /**
     * The stage with the built-in checks and, when the spec sets {@code qc.model}, the model checks
     * measured with {@code scores} (which may be {@code null} otherwise).
     */
    public QcStage(CollectionSpec spec, DropStore store, ScoreBackend scores) {
        this(
                spec,
                store,
                withModelChecks(spec, scores == null || scores.scoresAesthetics()),
                scores);
    }

    public QcStage(CollectionSpec spec, DropStore store, List<QcCheck> checks) {
        this(spec, store, checks, null);
    }

    private static List<QcCheck> withModelChecks(CollectionSpec spec, boolean aesthetic) {
        List<QcCheck> all = new ArrayList<>(QcChecks.all());
        all.addAll(QcChecks.model(spec.qc(), aesthetic));
        return all;
    }

    /**
     * @param scores the scoring model for the model checks among {@code checks}, or {@code null}
     */
    public QcStage(
            CollectionSpec spec, DropStore store, List<QcCheck> checks, ScoreBackend scores) {
        this.spec = spec;
        this.store = store;
        this.scores = scores;
        this.checks = new ArrayList<>();
        for (QcCheck c : checks) {
            QcSetting s = spec.qc().setting(c.name()).orElse(new QcSetting(null, null));
            this.checks.add(
                    new Resolved(
                            c,
                            s.threshold() == null ? c.defaultThreshold() : s.threshold(),
                            s.tier() == null ? c.defaultTier() : s.tier()));
        }
    }

    public Path qcDir() {
        return spec.outDir().resolve("qc");
    }

    /** SHA-256 of the QC configuration: version, and every check's threshold, tier, direction. */
    public String configHash() {
        List<Object> config = new ArrayList<>();
        config.add(VERSION);
        for (Resolved r : checks) {
            config.add(
                    List.of(
                            r.check().name(),
                            Double.toString(r.threshold()),
                            r.tier().specName(),
                            r.check().higherIsWorse() ? "max" : "min"));
        }
        if (scores != null && hasModelChecks()) {
            // Only with the model checks on, so drops without a model keep their hash.
            List<String> model = new ArrayList<>();
            model.add(scores.version());
            model.add(scores.modelSha256());
            model.add(spec.qc().prompt() == null ? "" : spec.qc().prompt());
            config.add(model);
        }
        return Hashes.sha256Hex(TokenMetadata.compact(config));
    }

    /**
     * Checks every token of {@code plan}, which must all have been rendered.
     *
     * @throws QcException when a token has not been rendered, or its image is unreadable
     */
    public Report run(Plan plan, TraitLibrary library, Options options, Listener listener)
            throws QcException, IOException {
        long start = System.nanoTime();
        if (hasModelChecks() && scores == null) {
            throw new QcException(
                    "qc.model is set in the spec, but no scoring model was opened for QC (run"
                            + " 'serigraph qc', which loads it, or remove qc.model)");
        }
        Files.createDirectories(qcDir());
        AtomicFiles.removeStrayTemporaries(qcDir());
        Path images = spec.outDir().resolve("images");
        Path metadataDir = spec.outDir().resolve("metadata");
        Map<Long, StageRecord> rendered = store.stageRecords(RenderStage.STAGE);
        Map<Long, StageRecord> previous = store.stageRecords(STAGE);
        List<PlannedToken> tokens = plan.tokens();
        ScoreStage.requireRendered(store, images, tokens);
        String config = configHash();
        QcDrop drop = new QcDrop(spec, plan, library);

        int n = tokens.size();
        byte[][] metadata = new byte[n][];
        String[] shas = new String[n];
        String[] lineages = new String[n];
        Measured[] measured = new Measured[n];
        List<Integer> todo = new ArrayList<>();
        forEach(
                n,
                options.threads(),
                i -> {
                    PlannedToken t = tokens.get(i);
                    byte[] png = Files.readAllBytes(images.resolve(t.id() + ".png"));
                    metadata[i] = Files.readAllBytes(metadataDir.resolve(t.id() + ".json"));
                    shas[i] = Hashes.sha256Hex(png);
                    lineages[i] =
                            lineage(
                                    config,
                                    shas[i],
                                    rendered.get(t.id()).lineageHash(),
                                    Hashes.sha256Hex(metadata[i]));
                    StageRecord prev = previous.get(t.id());
                    if (!options.force()
                            && prev != null
                            && prev.lineageHash().equals(lineages[i])) {
                        measured[i] = cached(qcDir().resolve(t.id() + ".json"), lineages[i]);
                    }
                });
        for (int i = 0; i < n; i++) {
            if (measured[i] == null) {
                todo.add(i);
            }
        }
        listener.begin(n, todo.size());
        Map<String, Object> startEvent = new LinkedHashMap<>();
        startEvent.put("tokens", n);
        startEvent.put("to_measure", todo.size());
        startEvent.put("config_sha256", config);
        store.appendAudit(options.actor(), "qc.start", TokenMetadata.compact(startEvent));

        measureAll(
                todo, tokens, images, metadata, shas, measured, drop, options.threads(), listener);

        long[] phashes = new long[n];
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            phashes[i] = measured[i].phash();
            ids.add(tokens.get(i).id());
        }
        drop.setHashes(ids, phashes, shas);
        if (hasModelChecks()) {
            scoreTokens(plan, options, drop);
        }

        Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        Map<String, Map<Verdict, Integer>> perCheck = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            verdicts.put(v, 0);
        }
        for (Resolved r : checks) {
            Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
            for (Verdict v : Verdict.values()) {
                counts.put(v, 0);
            }
            perCheck.put(r.check().name(), counts);
        }
        List<QcResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PlannedToken t = tokens.get(i);
            QcToken setToken = new QcToken(t, null, metadata[i], shas[i]);
            List<QcResult.Measurement> ms = new ArrayList<>();
            Verdict verdict = Verdict.PASS;
            int tokenIndex = 0;
            for (Resolved r : checks) {
                double value =
                        r.check().scope() == QcCheck.Scope.TOKEN
                                ? measured[i].tokenValues()[tokenIndex++]
                                : r.check().measure(setToken, drop);
                QcResult.Measurement m = judge(r, value);
                ms.add(m);
                verdict = verdict.worst(m.verdict());
                perCheck.get(r.check().name()).merge(m.verdict(), 1, Integer::sum);
            }
            verdicts.merge(verdict, 1, Integer::sum);
            QcResult result =
                    new QcResult(
                            t.id(),
                            verdict,
                            ms,
                            shas[i],
                            rendered.get(t.id()).lineageHash(),
                            Hashes.sha256Hex(metadata[i]),
                            lineages[i],
                            measured[i].phash());
            results.add(result);
        }
        Map<Long, String> previousVerdicts = store.verdicts();
        forEach(
                n,
                options.threads(),
                k -> {
                    QcResult r = results.get(k);
                    archive(
                            r,
                            config,
                            previous.get(r.tokenId()),
                            previousVerdicts.get(r.tokenId()));
                });
        Map<String, Object> doneEvent = new LinkedHashMap<>();
        doneEvent.put("tokens", n);
        doneEvent.put("measured", todo.size());
        for (Verdict v : Verdict.values()) {
            doneEvent.put(v.name().toLowerCase(Locale.ROOT), verdicts.get(v));
        }
        store.appendAudit(options.actor(), "qc.done", TokenMetadata.compact(doneEvent));
        return new Report(
                n,
                todo.size(),
                verdicts,
                perCheck,
                results,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private boolean hasModelChecks() {
        return checks.stream().anyMatch(r -> QcSpec.MODEL_CHECKS.contains(r.check().name()));
    }

    /**
     * Brings the score store up to date (scoring only new or changed images) and hands every
     * token's embedding and aesthetic score, and the prompt's embedding, to the model checks.
     */
    private void scoreTokens(Plan plan, Options options, QcDrop drop)
            throws QcException, IOException {
        List<PlannedToken> tokens = plan.tokens();
        float[][] embeddings = new float[tokens.size()][];
        double[] aesthetics = new double[tokens.size()];
        try (ScoreStore scoreStore = ScoreStore.open(spec.outDir().resolve(ScoreStore.FILE_NAME))) {
            new ScoreStage(spec, store, scoreStore, scores)
                    .run(
                            plan,
                            new ScoreStage.Options(
                                    Math.max(options.threads(), SCORING_THREADS),
                                    false,
                                    options.actor()),
                            ScoreStage.SILENT);
            Map<Long, ScoreStore.Row> rows = scoreStore.rows(scores.version());
            for (int i = 0; i < tokens.size(); i++) {
                ScoreStore.Row row = rows.get(tokens.get(i).id());
                embeddings[i] = row.embedding();
                aesthetics[i] = row.aesthetic();
            }
        }
        float[] prompt = null;
        if (spec.qc().prompt() != null) {
            try {
                prompt = scores.textEmbedding(spec.qc().prompt());
            } catch (Exception e) {
                throw new QcException(
                        "qc.prompt: cannot embed it with " + scores.version() + ": " + e, e);
            }
        }
        drop.setScores(embeddings, aesthetics, prompt);
    }

    private static QcResult.Measurement judge(Resolved r, double value) {
        boolean crossed = r.check().higherIsWorse() ? value > r.threshold() : value < r.threshold();
        Verdict v =
                !crossed
                        ? Verdict.PASS
                        : switch (r.tier()) {
                            case FAIL -> Verdict.FAIL;
                            case REVIEW -> Verdict.REVIEW;
                            case OFF -> Verdict.PASS;
                        };
        return new QcResult.Measurement(
                r.check().name(),
                value,
                r.threshold(),
                r.check().higherIsWorse(),
                r.tier().specName(),
                v,
                v == Verdict.PASS ? "" : r.check().remedy());
    }

    private void measureAll(
            List<Integer> todo,
            List<PlannedToken> tokens,
            Path images,
            byte[][] metadata,
            String[] shas,
            Measured[] measured,
            QcDrop drop,
            int threads,
            Listener listener)
            throws QcException, IOException {
        ThreadLocal<PerceptualHash> phash = ThreadLocal.withInitial(PerceptualHash::new);
        PngDecoder decoder = new PngDecoder();
        forEach(
                todo.size(),
                threads,
                k -> {
                    int i = todo.get(k);
                    PlannedToken t = tokens.get(i);
                    // Read again rather than held from the hashing pass: a drop's PNGs need not fit
                    // in memory. An image changed in between is caught by its hash next run.
                    byte[] png = Files.readAllBytes(images.resolve(t.id() + ".png"));
                    if (!Hashes.sha256Hex(png).equals(shas[i])) {
                        throw new QcException(
                                "token "
                                        + t.id()
                                        + ": out/images/"
                                        + t.id()
                                        + ".png changed while QC ran; run QC again");
                    }
                    RgbaImage image;
                    try {
                        image = decoder.decode(png, AlphaMode.STRAIGHT);
                    } catch (PngFormatException e) {
                        throw new QcException(
                                "token "
                                        + t.id()
                                        + ": out/images/"
                                        + t.id()
                                        + ".png is not a valid PNG ("
                                        + e.getMessage()
                                        + "); re-render it with 'serigraph render --force'",
                                e);
                    }
                    QcToken token = new QcToken(t, image, metadata[i], shas[i]);
                    double[] values = new double[tokenChecks()];
                    int j = 0;
                    for (Resolved r : checks) {
                        if (r.check().scope() == QcCheck.Scope.TOKEN) {
                            values[j++] = r.check().measure(token, drop);
                        }
                    }
                    measured[i] = new Measured(values, phash.get().hash(image));
                    listener.checked(t.id());
                });
    }

    /** One item of parallel work. */
    interface Task {
        void run(int index) throws QcException, IOException;
    }

    /** Runs {@code task} for 0..count-1 on {@code threads} threads; the first failure is thrown. */
    static void forEach(int count, int threads, Task task) throws QcException, IOException {
        if (count == 0) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        int workers = Math.min(threads, count);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<Void>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            futures.add(
                    pool.submit(
                            () -> {
                                for (int k = next.getAndIncrement();
                                        k < count && !failed.get();
                                        k = next.getAndIncrement()) {
                                    try {
                                        task.run(k);
                                    } catch (Exception e) {
                                        failed.set(true);
                                        throw e;
                                    }
                                }
                                return null;
                            }));
        }
        pool.shutdown();
        try {
            for (Future<Void> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            pool.shutdownNow();
            if (e.getCause() instanceof QcException qe) {
                throw qe;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new QcException("interrupted", e);
        }
    }

    private int tokenChecks() {
        return (int) checks.stream().filter(r -> r.check().scope() == QcCheck.Scope.TOKEN).count();
    }

    /**
     * The archived per-token values and pHash, when the archive is of this lineage and complete.
     */
    private Measured cached(Path file, String lineage) {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
        if (doc == null || !lineage.equals(doc.path("lineage").asText())) {
            return null;
        }
        Map<String, Double> values = new HashMap<>();
        for (JsonNode m : doc.path("checks")) {
            if (m.path("value").isNumber()) {
                values.put(m.path("check").asText(), m.path("value").asDouble());
            }
        }
        double[] tokenValues = new double[tokenChecks()];
        int j = 0;
        for (Resolved r : checks) {
            if (r.check().scope() == QcCheck.Scope.TOKEN) {
                Double v = values.get(r.check().name());
                if (v == null) {
                    return null;
                }
                tokenValues[j++] = v;
            }
        }
        String phash = doc.path("phash").asText("");
        if (phash.length() != 16) {
            return null;
        }
        return new Measured(tokenValues, Long.parseUnsignedLong(phash, 16));
    }

    /**
     * Writes the token's archive and records it; an archive and records that are already exactly so
     * are left alone.
     */
    private void archive(QcResult r, String config, StageRecord previous, String previousVerdict)
            throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("token_id", r.tokenId());
        doc.put("qc_version", VERSION);
        doc.put("verdict", r.verdict().name());
        doc.put("lineage", r.lineage());
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("image_sha256", r.imageSha256());
        inputs.put("render_lineage", r.renderLineage());
        inputs.put("metadata_sha256", r.metadataSha256());
        inputs.put("qc_config_sha256", config);
        doc.put("inputs", inputs);
        doc.put("phash", String.format(Locale.ROOT, "%016x", r.phash()));
        List<Map<String, Object>> list = new ArrayList<>();
        for (QcResult.Measurement m : r.measurements()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("check", m.check());
            c.put("value", m.value());
            c.put("threshold", m.threshold());
            c.put("fails_when", m.higherIsWorse() ? "above" : "below");
            c.put("tier", m.tier());
            c.put("verdict", m.verdict().name());
            if (!m.remedy().isEmpty()) {
                c.put("remedy", m.remedy());
            }
            list.add(c);
        }
        doc.put("checks", list);
        byte[] bytes = (PRETTY.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = qcDir().resolve(r.tokenId() + ".json");
        boolean same = false;
        try {
            same = Arrays.equals(Files.readAllBytes(file), bytes);
        } catch (IOException e) {
            same = false;
        }
        String sha = Hashes.sha256Hex(bytes);
        if (same
                && previous != null
                && previous.lineageHash().equals(r.lineage())
                && previous.outputSha256().equals(sha)
                && r.verdict().name().equals(previousVerdict)) {
            return;
        }
        if (!same) {
            AtomicFiles.writeUnsynced(file, bytes);
            AtomicFiles.forceDirectory(qcDir());
        }
        store.recordStage(new StageRecord(r.tokenId(), STAGE, r.lineage(), sha, bytes.length));
        store.recordVerdict(r.tokenId(), r.verdict().name(), r.lineage());
    }

    /**
     * A token's QC lineage: SHA-256 of the compact JSON {@code {"qc": VERSION, "config": <config
     * hash>, "image_sha256": ..., "render_lineage": ..., "metadata_sha256": ...}}.
     */
    static String lineage(String config, String imageSha, String renderLineage, String metaSha) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("qc", VERSION);
        record.put("config", config);
        record.put("image_sha256", imageSha);
        record.put("render_lineage", renderLineage);
        record.put("metadata_sha256", metaSha);
        return Hashes.sha256Hex(TokenMetadata.compact(record));
    }
}
