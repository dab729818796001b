package io.serigraph.pipeline.qc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngDecoder;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.inference.clip.Embeddings;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.ScoreStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score stage, the model QC checks and curation search on real rendered drops, with the real
 * tiny CLIP model and aesthetic head through libtorch (installed from the inference jar).
 */
class ModelChecksTest {
    private static final String PROMPT = "a grey pattern with a small mark";

    @TempDir Path dir;

    /**
     * Twelve tokens: every base with every mark. The marks Dot and Dot Shifted differ by one pixel,
     * so the two tokens of each base with them are near duplicates.
     */
    private Path drop(String qc) throws Exception {
        Path drop = dir.resolve("drop");
        QcStageTest.layer(drop, "Base", "Stripes", QcStageTest::stripes);
        QcStageTest.layer(drop, "Base", "Rings", QcStageTest::rings);
        QcStageTest.layer(drop, "Base", "Ramp", QcStageTest::ramp);
        QcStageTest.layer(drop, "Mark", "Left", (x, y) -> x < 16 && y < 30 ? 0xFFD02020 : 0);
        QcStageTest.layer(drop, "Mark", "Right", (x, y) -> x >= 30 && y >= 20 ? 0xFF2040D0 : 0);
        QcStageTest.layer(drop, "Mark", "Dot", (x, y) -> x == 10 && y == 10 ? 0xFF20D020 : 0);
        QcStageTest.layer(
                drop, "Mark", "Dot Shifted", (x, y) -> x == 11 && y == 10 ? 0xFF20D020 : 0);
        return QcStageTest.spec(drop, 12, "#101010", List.of("Base", "Mark"), qc);
    }

    private static void render(CollectionSpec s, Plan plan, DropStore store) throws Exception {
        QcStageTest.render(s, TraitLibrary.load(s, 2), plan, store);
    }

    private CollectionSpec s;
    private Plan plan;
    private DropStore store;
    private LocalScoreBackend backend;

    /** Writes, plans and renders the drop with this {@code qc:} block and loads the model. */
    private void open(String qc) throws Exception {
        s = SpecLoader.load(drop(qc));
        plan = new Planner().plan(s);
        store = DropStore.open(s.outDir().resolve("drop.db"));
        backend = backend();
        render(s, plan, store);
    }

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private LocalScoreBackend backend() throws QcException {
        return LocalScoreBackend.open(dir.resolve("models"), "default");
    }

    private static ScoreStage.Report score(
            CollectionSpec s, Plan plan, DropStore store, ScoreBackend backend, boolean force)
            throws Exception {
        try (ScoreStore scores = ScoreStore.open(s.outDir().resolve(ScoreStore.FILE_NAME))) {
            return new ScoreStage(s, store, scores, backend)
                    .run(plan, new ScoreStage.Options(4, force, "test"), ScoreStage.SILENT);
        }
    }

    private static Map<Long, ScoreStore.Row> rows(CollectionSpec s, String model) {
        try (ScoreStore scores = ScoreStore.open(s.outDir().resolve(ScoreStore.FILE_NAME))) {
            return scores.rows(model);
        }
    }

    /** The token ids whose mark is Dot or Dot Shifted. */
    private static List<Long> dotted(Plan plan) {
        // Traits sort by name: "Dot", "Dot Shifted", "Left", "Right".
        return plan.tokens().stream()
                .filter(t -> plan.choice((int) (t.id() - plan.startId()), 1) <= 1)
                .map(t -> t.id())
                .toList();
    }

    @Test
    void scoresEveryTokenOnceAndRescoresOnlyWhatChanged() throws Exception {
        open("");
        ScoreStage.Report first = score(s, plan, store, backend, false);
        assertThat(first.total()).isEqualTo(12);
        assertThat(first.scored()).isEqualTo(12);
        assertThat(first.model()).isEqualTo("clip-tiny/1");
        Map<Long, ScoreStore.Row> rows = rows(s, "clip-tiny/1");
        assertThat(rows).hasSize(12);
        for (ScoreStore.Row r : rows.values()) {
            assertThat(r.embedding()).hasSize(32);
            assertThat(Embeddings.dot(r.embedding(), r.embedding())).isCloseTo(1, offset(1e-5));
            assertThat(r.aesthetic()).isFinite();
            assertThat(r.modelSha256()).isEqualTo(backend.modelSha256());
        }

        assertThat(score(s, plan, store, backend, false).scored()).isZero();

        // One pixel of token 3 changes: only token 3 is scored again.
        Path png = s.outDir().resolve("images/3.png");
        RgbaImage image = new PngDecoder().decode(png);
        byte[] px = image.pixels();
        px[0] = (byte) (px[0] ^ 0x40);
        Files.write(png, new PngEncoder().encode(image));
        assertThat(score(s, plan, store, backend, false).scored()).isEqualTo(1);
        assertThat(rows(s, "clip-tiny/1").get(3L).imageSha256())
                .isNotEqualTo(rows.get(3L).imageSha256());

        assertThat(score(s, plan, store, backend, true).scored()).isEqualTo(12);
        assertThat(store.audit().stream().filter(e -> e.event().equals("score.done"))).hasSize(4);
    }

    @Test
    void aRunThatFailsKeepsWhatItScoredAndTheRerunDoesTheRest() throws Exception {
        open("");
        AtomicInteger calls = new AtomicInteger();
        ScoreBackend failing = new FailingAfter(backend, 5, calls);
        try (ScoreStore scores = ScoreStore.open(s.outDir().resolve(ScoreStore.FILE_NAME))) {
            assertThatThrownBy(
                            () ->
                                    new ScoreStage(s, store, scores, failing)
                                            .run(
                                                    plan,
                                                    new ScoreStage.Options(1, false, "test"),
                                                    ScoreStage.SILENT))
                    .isInstanceOf(QcException.class)
                    .hasMessageContaining("scoring with clip-tiny/1 failed")
                    .hasMessageContaining("the model went away");
        }
        assertThat(rows(s, "clip-tiny/1")).hasSize(4);
        assertThat(score(s, plan, store, backend, false).scored()).isEqualTo(8);
        assertThat(rows(s, "clip-tiny/1")).hasSize(12);
    }

    @Test
    void modelChecksMeasureAestheticAlignmentAndClipNearDuplicates() throws Exception {
        open(
                "qc:\n  model: default\n  prompt: \""
                        + PROMPT
                        + "\"\n  near_duplicate: {tier: off}\n"
                        + "  aesthetic: {tier: off}\n"
                        + "  prompt_alignment: {tier: off}\n"
                        + "  clip_near_duplicate: {threshold: 0.0001, tier: fail}\n");
        QcStage.Report report =
                new QcStage(s, store, backend)
                        .run(
                                plan,
                                TraitLibrary.load(s, 2),
                                new QcStage.Options(2, false, "test"),
                                QcStageTest.quiet());
        Map<Long, ScoreStore.Row> rows = rows(s, "clip-tiny/1");
        assertThat(rows).hasSize(12);
        float[] prompt = backend.textEmbedding(PROMPT);
        List<Long> dotted = dotted(plan);
        assertThat(dotted).hasSize(6);
        for (QcResult r : report.results()) {
            ScoreStore.Row row = rows.get(r.tokenId());
            assertThat(value(r, "aesthetic")).isEqualTo(row.aesthetic());
            assertThat(value(r, "prompt_alignment"))
                    .isCloseTo(
                            2.5 * Math.max(Embeddings.dot(row.embedding(), prompt), 0),
                            offset(1e-9));
            double nearest = value(r, "clip_near_duplicate");
            if (dotted.contains(r.tokenId())) {
                assertThat(nearest).isLessThan(1e-4);
            } else {
                assertThat(nearest).isGreaterThan(1e-3);
            }
        }
        Map<Long, Set<String>> flagged = QcStageTest.flagged(report);
        for (long id : flagged.keySet()) {
            assertThat(flagged.get(id))
                    .isEqualTo(dotted.contains(id) ? Set.of("clip_near_duplicate=FAIL") : Set.of());
        }

        // A rerun reuses the stored scores: nothing is embedded again.
        assertThat(score(s, plan, store, backend, false).scored()).isZero();
    }

    @Test
    void searchRanksTokensLikeATokenOrAText() throws Exception {
        open("");
        score(s, plan, store, backend, false);
        try (CollectionSearch search =
                new CollectionSearch("clip-tiny/1", rows(s, "clip-tiny/1"))) {
            assertThat(search.size()).isEqualTo(12);
            for (long id : dotted(plan)) {
                // The most similar token is the same base with the other dot.
                int i = (int) (id - plan.startId());
                CollectionSearch.Hit top = search.like(id, 3).get(0);
                int j = (int) (top.tokenId() - plan.startId());
                assertThat(top.rank()).isEqualTo(1);
                assertThat(plan.choice(j, 0)).isEqualTo(plan.choice(i, 0));
                assertThat(plan.choice(j, 1)).isEqualTo(1 - plan.choice(i, 1));
            }
            List<CollectionSearch.Hit> hits = search.nearest(backend.textEmbedding(PROMPT), 5);
            assertThat(hits)
                    .hasSize(5)
                    .extracting(CollectionSearch.Hit::rank)
                    .containsExactly(1, 2, 3, 4, 5);
            for (int k = 1; k < hits.size(); k++) {
                assertThat(hits.get(k).cosine()).isLessThanOrEqualTo(hits.get(k - 1).cosine());
            }
            assertThatThrownBy(() -> search.like(99, 3))
                    .isInstanceOf(QcException.class)
                    .hasMessageContaining("token 99 has no stored embedding of clip-tiny/1");
            assertThatThrownBy(() -> search.nearest(new float[3], 3))
                    .hasMessageContaining("the query embedding has 3 values");
        }
        assertThatThrownBy(() -> new CollectionSearch("clip-vit-l-14/openai", Map.of()))
                .hasMessageContaining("run 'serigraph score DIR --model clip-vit-l-14/openai'");
    }

    @Test
    void withoutAModelTheModelChecksAreOffAndWithOneQcNeedsIt() throws Exception {
        CollectionSpec plain = SpecLoader.load(drop(""));
        assertThat(QcChecks.model(plain.qc(), true)).isEmpty();
        try (DropStore store = DropStore.open(plain.outDir().resolve("drop.db"))) {
            assertThat(new QcStage(plain, store).configHash())
                    .isEqualTo(new QcStage(plain, store, QcChecks.all()).configHash());
        }
        CollectionSpec withModel = SpecLoader.load(drop("qc:\n  model: default\n"));
        assertThat(QcChecks.model(withModel.qc(), true))
                .extracting(QcCheck::name)
                .containsExactly("aesthetic", "clip_near_duplicate");
        Plan plan = new Planner().plan(withModel);
        try (DropStore store = DropStore.open(withModel.outDir().resolve("drop.db"))) {
            render(withModel, plan, store);
            assertThatThrownBy(
                            () ->
                                    new QcStage(withModel, store)
                                            .run(
                                                    plan,
                                                    TraitLibrary.load(withModel, 2),
                                                    new QcStage.Options(1, false, "test"),
                                                    QcStageTest.quiet()))
                    .isInstanceOf(QcException.class)
                    .hasMessageContaining("no scoring model was opened");
        }
    }

    private static double value(QcResult r, String check) {
        return r.measurements().stream()
                .filter(m -> m.check().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError("token " + r.tokenId() + " has no " + check))
                .value();
    }

    /** The real backend, failing from its {@code n}th image on (a model that goes away). */
    private record FailingAfter(ScoreBackend real, int n, AtomicInteger calls)
            implements ScoreBackend {
        @Override
        public ImageScores score(byte[] png) throws Exception {
            if (calls.incrementAndGet() >= n) {
                throw new IllegalStateException("the model went away");
            }
            return real.score(png);
        }

        @Override
        public double aesthetic(byte[] png) throws Exception {
            return score(png).aesthetic();
        }

        @Override
        public double promptAlignment(byte[] png, String prompt) throws Exception {
            return real.promptAlignment(png, prompt);
        }

        @Override
        public float[] embedding(byte[] png) throws Exception {
            return score(png).embedding();
        }

        @Override
        public float[] textEmbedding(String text) throws Exception {
            return real.textEmbedding(text);
        }

        @Override
        public boolean scoresAesthetics() {
            return real.scoresAesthetics();
        }

        @Override
        public String version() {
            return real.version();
        }

        @Override
        public String modelSha256() {
            return real.modelSha256();
        }

        @Override
        public void close() {}
    }
}
