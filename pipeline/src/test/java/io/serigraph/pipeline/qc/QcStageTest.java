package io.serigraph.pipeline.qc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.Hashes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QC on real drops: layer PNGs and a spec written here, planned and rendered by the real stages.
 */
class QcStageTest {
    private static final int S = 48;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    static void layer(Path drop, String layer, String trait, IntBinaryOperator argb)
            throws IOException {
        BufferedImage img = new BufferedImage(S, S, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                img.setRGB(x, y, argb.applyAsInt(x, y));
            }
        }
        Path folder = drop.resolve("layers").resolve(layer);
        Files.createDirectories(folder);
        ImageIO.write(img, "png", folder.resolve(trait + ".png").toFile());
    }

    static Path spec(Path drop, int size, String background, List<String> layers, String qc)
            throws IOException {
        StringBuilder yaml =
                new StringBuilder("name: Test\nsymbol: TST\nsize: ")
                        .append(size)
                        .append("\nseed: 5\ncanvas: {width: ")
                        .append(S)
                        .append(", height: ")
                        .append(S)
                        .append(background == null ? "" : ", background: \"" + background + "\"")
                        .append("}\nlayers:\n");
        for (String l : layers) {
            yaml.append("  - {name: ").append(l).append(", dir: layers/").append(l).append("}\n");
        }
        yaml.append("metadata: {name: \"T #{id}\", image_base_uri: \"ipfs://x/\"}\n").append(qc);
        Path spec = drop.resolve("serigraph.yaml");
        Files.writeString(spec, yaml.toString());
        return spec;
    }

    /** Opaque base patterns that look different at every scale. */
    static int stripes(int x, int y) {
        return grey(x / 6 % 2 == 0 ? 30 : 220);
    }

    static int rings(int x, int y) {
        int r = (int) Math.hypot(x - S / 2.0, y - S / 2.0);
        return grey(r / 5 % 2 == 0 ? 40 : 200);
    }

    static int ramp(int x, int y) {
        return grey(20 + y * 4);
    }

    static int grey(int g) {
        return 0xFF000000 | g << 16 | g << 8 | g;
    }

    private static QcStage.Report renderAndCheck(Path spec) throws Exception {
        return renderAndCheck(spec, false);
    }

    private static QcStage.Report renderAndCheck(Path spec, boolean force) throws Exception {
        CollectionSpec s = SpecLoader.load(spec);
        TraitLibrary library = TraitLibrary.load(s, 2);
        Plan plan = new Planner().plan(s);
        try (DropStore store = DropStore.open(s.outDir().resolve("drop.db"))) {
            render(s, library, plan, store);
            return new QcStage(s, store)
                    .run(plan, library, new QcStage.Options(2, force, "test"), quiet());
        }
    }

    /** Renders every token of {@code plan} with the Java compositor. */
    static void render(CollectionSpec s, TraitLibrary library, Plan plan, DropStore store)
            throws Exception {
        try (RenderBackend backend = new LocalRenderBackend(s, library, DeviceSetting.JAVA)) {
            new RenderStage(s, store)
                    .run(
                            plan,
                            library,
                            backend,
                            new RenderStage.Options(2, false, "test"),
                            new RenderStage.Listener() {
                                @Override
                                public void begin(int total, int toRender) {}

                                @Override
                                public void rendered(long tokenId, long bytes) {}
                            });
        }
    }

    static QcStage.Listener quiet() {
        return new QcStage.Listener() {
            @Override
            public void begin(int total, int toMeasure) {}

            @Override
            public void checked(long tokenId) {}
        };
    }

    /** The checks that did not pass, per token id. */
    static Map<Long, Set<String>> flagged(QcStage.Report report) {
        Map<Long, Set<String>> out = new java.util.TreeMap<>();
        for (QcResult r : report.results()) {
            Set<String> checks = new TreeSet<>();
            for (QcResult.Measurement m : r.measurements()) {
                if (m.verdict() != Verdict.PASS) {
                    checks.add(m.check() + "=" + m.verdict());
                }
            }
            out.put(r.tokenId(), checks);
        }
        return out;
    }

    private Path cleanDrop() throws IOException {
        Path drop = dir.resolve("clean");
        layer(drop, "Base", "Stripes", QcStageTest::stripes);
        layer(drop, "Base", "Rings", QcStageTest::rings);
        layer(drop, "Base", "Ramp", QcStageTest::ramp);
        layer(drop, "Mark", "Left", (x, y) -> x < 16 && y < 30 ? 0xFFD02020 : 0);
        layer(drop, "Mark", "Right", (x, y) -> x >= 30 && y >= 20 ? 0xFF2040D0 : 0);
        return spec(drop, 6, "#101010", List.of("Base", "Mark"), "");
    }

    @Test
    void aCleanDropPassesEveryCheck() throws Exception {
        QcStage.Report report = renderAndCheck(cleanDrop());

        assertThat(report.total()).isEqualTo(6);
        assertThat(flagged(report).values()).allSatisfy(f -> assertThat(f).isEmpty());
        assertThat(report.verdicts()).containsEntry(Verdict.PASS, 6);
        assertThat(report.worst()).isEqualTo(Verdict.PASS);
    }

    @Test
    void oneOfOnesAreNotMeasuredAsIfPlanned() throws Exception {
        // The one-of-one names Mark:Full, a trait no generative token may draw (weight 0) whose
        // layer would hide Base entirely: measured as if planned, its parity would be 0 (FAIL) and
        // Full's share would drift infinitely far from its weight (REVIEW).
        Path drop = dir.resolve("ones");
        layer(drop, "Base", "Stripes", QcStageTest::stripes);
        layer(drop, "Base", "Rings", QcStageTest::rings);
        layer(drop, "Base", "Ramp", QcStageTest::ramp);
        layer(drop, "Mark", "Left", (x, y) -> x < 16 && y < 30 ? 0xFFD02020 : 0);
        layer(drop, "Mark", "Right", (x, y) -> x >= 30 && y >= 20 ? 0xFF2040D0 : 0);
        layer(drop, "Mark", "Full#0", (x, y) -> 0xFF30A040);
        BufferedImage art = new BufferedImage(S, S, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                art.setRGB(x, y, (x / 8 + y / 8) % 2 == 0 ? 0xFFC0A030 : 0xFF302080);
            }
        }
        Files.createDirectories(drop.resolve("art"));
        ImageIO.write(art, "png", drop.resolve("art/one.png").toFile());
        Path spec =
                spec(
                        drop,
                        6,
                        "#101010",
                        List.of("Base", "Mark"),
                        "one_of_ones:\n"
                                + "  - {image: art/one.png, attributes: {Base: Stripes, Mark: Full}}\n");

        QcStage.Report report = renderAndCheck(spec);

        assertThat(flagged(report).values()).allSatisfy(f -> assertThat(f).isEmpty());
        Plan plan = new Planner().plan(SpecLoader.load(spec));
        QcResult one = report.results().get(plan.oneOfOnePositions()[0]);
        assertThat(measurement(one, "parity").value()).isEqualTo(1);
        assertThat(measurement(one, "trait_drift").value()).isZero();
        assertThat(report.verdicts()).containsEntry(Verdict.PASS, 6);
    }

    @Test
    void aHiddenTraitFailsParity() throws Exception {
        Path drop = dir.resolve("hidden");
        layer(drop, "Base", "Rings", QcStageTest::rings);
        layer(drop, "Hat", "Red", (x, y) -> x > 10 && x < 20 && y < 10 ? 0xFFE03030 : 0);
        layer(drop, "Cover", "Wall", QcStageTest::stripes);
        QcStage.Report report =
                renderAndCheck(spec(drop, 1, null, List.of("Base", "Hat", "Cover"), ""));

        assertThat(flagged(report)).containsExactly(Map.entry(1L, Set.of("parity=FAIL")));
        QcResult.Measurement parity = measurement(report.results().get(0), "parity");
        assertThat(parity.value()).isZero();
        assertThat(parity.remedy()).contains("hidden");
    }

    @Test
    void aTransparentHoleFailsAlphaCoverage() throws Exception {
        Path drop = dir.resolve("hole");
        layer(
                drop,
                "Base",
                "Holed",
                (x, y) -> x >= 20 && x < 28 && y >= 20 && y < 28 ? 0 : rings(x, y));
        QcStage.Report report = renderAndCheck(spec(drop, 1, null, List.of("Base"), ""));

        assertThat(flagged(report)).containsExactly(Map.entry(1L, Set.of("alpha_coverage=FAIL")));
        assertThat(measurement(report.results().get(0), "alpha_coverage").value())
                .isEqualTo(64.0 / (S * S));
        assertThat(report.worst()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aNearBlankCombinationIsSentToReview() throws Exception {
        Path drop = dir.resolve("blank");
        layer(drop, "Base", "Fog", (x, y) -> grey(128));
        layer(drop, "Speck", "Dot", (x, y) -> x == 5 && y == 5 ? grey(140) : 0);
        QcStage.Report report =
                renderAndCheck(spec(drop, 1, "#000000", List.of("Base", "Speck"), ""));

        assertThat(flagged(report)).containsExactly(Map.entry(1L, Set.of("blank=REVIEW")));
        assertThat(report.worst()).isEqualTo(Verdict.REVIEW);
    }

    @Test
    void nearlyIdenticalTokensAreSentToReview() throws Exception {
        Path drop = dir.resolve("twins");
        layer(drop, "Base", "Rings", QcStageTest::rings);
        layer(drop, "Dot", "A", (x, y) -> x == 40 && y == 3 ? 0xFFFF0000 : 0);
        layer(drop, "Dot", "B", (x, y) -> x == 41 && y == 3 ? 0xFFFF0000 : 0);
        QcStage.Report report = renderAndCheck(spec(drop, 2, null, List.of("Base", "Dot"), ""));

        assertThat(flagged(report))
                .containsExactly(
                        Map.entry(1L, Set.of("near_duplicate=REVIEW")),
                        Map.entry(2L, Set.of("near_duplicate=REVIEW")));
        assertThat(report.results().get(0).imageSha256())
                .isNotEqualTo(report.results().get(1).imageSha256());
        assertThat(measurement(report.results().get(0), "near_duplicate").value())
                .isBetween(0.0, 4.0);
    }

    @Test
    void traitFrequenciesFarFromTheWeightsAreSentToReview() throws Exception {
        Path drop = dir.resolve("drift");
        layer(drop, "Base", "Common#9", QcStageTest::stripes);
        layer(drop, "Base", "Rare#1", QcStageTest::rings);
        for (int t = 0; t < 5; t++) {
            int x0 = t * 9;
            layer(
                    drop,
                    "Mark",
                    "M" + t,
                    (x, y) -> x >= x0 && x < x0 + 8 && y > 30 ? 0xFFE02020 : 0);
        }
        // Every one of the 10 combinations is drawn, so Rare is on half the tokens, not a tenth.
        String qc = "qc:\n  near_duplicate: {tier: off}\n";
        QcStage.Report report =
                renderAndCheck(spec(drop, 10, "#000000", List.of("Base", "Mark"), qc));

        assertThat(flagged(report).values())
                .allSatisfy(f -> assertThat(f).containsExactly("trait_drift=REVIEW"));
        // |0.5 - 0.9| / sqrt(0.9 * 0.1 / 10)
        assertThat(measurement(report.results().get(0), "trait_drift").value())
                .isCloseTo(0.4 / Math.sqrt(0.009), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void twoTraitsWithTheSameArtGiveExactDuplicatesThatFail() throws Exception {
        Path drop = dir.resolve("same");
        layer(drop, "Base", "Rings", QcStageTest::rings);
        layer(drop, "Base", "Circles", QcStageTest::rings);
        QcStage.Report report = renderAndCheck(spec(drop, 2, null, List.of("Base"), ""));

        assertThat(flagged(report))
                .containsExactly(
                        Map.entry(1L, Set.of("exact_duplicate=FAIL")),
                        Map.entry(2L, Set.of("exact_duplicate=FAIL")));
        assertThat(measurement(report.results().get(0), "exact_duplicate").value()).isEqualTo(1);
        assertThat(measurement(report.results().get(0), "exact_duplicate").remedy())
                .contains("byte-identical");
    }

    @Test
    void theSpecSetsThresholdAndTier() throws Exception {
        Path drop = dir.resolve("configured");
        layer(drop, "Base", "Holed", (x, y) -> x < 8 && y < 8 ? 0 : rings(x, y));
        String qc = "qc:\n  alpha_coverage: {threshold: 0.5, tier: review}\n  blank: {tier: off}\n";
        Path spec = spec(drop, 1, null, List.of("Base"), qc);
        QcStage.Report report = renderAndCheck(spec);
        assertThat(report.worst()).isEqualTo(Verdict.PASS);

        Files.writeString(
                spec,
                Files.readString(spec)
                        .replace("threshold: 0.5, tier: review", "threshold: 0.01, tier: review"));
        report = renderAndCheck(spec);
        assertThat(flagged(report)).containsExactly(Map.entry(1L, Set.of("alpha_coverage=REVIEW")));
        assertThat(measurement(report.results().get(0), "alpha_coverage").threshold())
                .isEqualTo(0.01);
    }

    @Test
    void verdictsAndInputsAreArchivedAndRerunsReuseThem() throws Exception {
        Path spec = cleanDrop();
        QcStage.Report first = renderAndCheck(spec);
        assertThat(first.measured()).isEqualTo(6);

        CollectionSpec s = SpecLoader.load(spec);
        Path archive = s.outDir().resolve("qc/1.json");
        JsonNode doc = MAPPER.readTree(archive.toFile());
        byte[] png = Files.readAllBytes(s.outDir().resolve("images/1.png"));
        assertThat(doc.path("verdict").asText()).isEqualTo("PASS");
        assertThat(doc.path("inputs").path("image_sha256").asText())
                .isEqualTo(Hashes.sha256Hex(png));
        assertThat(doc.path("checks")).hasSize(QcChecks.all().size());
        assertThat(doc.path("checks").get(0).path("threshold").isNumber()).isTrue();
        try (DropStore store = DropStore.open(s.outDir().resolve("drop.db"))) {
            assertThat(store.verdicts()).hasSize(6).containsEntry(1L, "PASS");
            assertThat(store.stageRecord(1, QcStage.STAGE).orElseThrow().lineageHash())
                    .isEqualTo(doc.path("lineage").asText());
            assertThat(store.audit()).anyMatch(e -> e.event().equals("qc.done"));
        }
        byte[] before = Files.readAllBytes(archive);

        QcStage.Report second = renderAndCheck(spec);
        assertThat(second.measured()).isZero();
        assertThat(second.results()).isEqualTo(first.results());
        assertThat(Files.readAllBytes(archive)).isEqualTo(before);

        assertThat(renderAndCheck(spec, true).measured()).isEqualTo(6);
    }

    @Test
    void unrenderedTokensAreBadInput() throws Exception {
        CollectionSpec s = SpecLoader.load(cleanDrop());
        TraitLibrary library = TraitLibrary.load(s, 1);
        Plan plan = new Planner().plan(s);
        try (DropStore store = DropStore.open(s.outDir().resolve("drop.db"))) {
            assertThatThrownBy(
                            () ->
                                    new QcStage(s, store)
                                            .run(
                                                    plan,
                                                    library,
                                                    new QcStage.Options(1, false, "test"),
                                                    quiet()))
                    .isInstanceOf(QcException.class)
                    .hasMessageContaining("6 of 6 tokens are not rendered")
                    .hasMessageContaining("serigraph render");
        }
    }

    @Test
    void everyBuiltInCheckIsConfigurableInTheSpec() {
        List<QcCheck> every = new java.util.ArrayList<>(QcChecks.all());
        every.addAll(
                QcChecks.model(
                        new io.serigraph.pipeline.spec.QcSpec(Map.of(), "default", "a moth"),
                        true));
        assertThat(every.stream().map(QcCheck::name).toList())
                .isEqualTo(io.serigraph.pipeline.spec.QcSpec.CHECKS);
    }

    private static QcResult.Measurement measurement(QcResult r, String check) {
        return r.measurements().stream()
                .filter(m -> m.check().equals(check))
                .findFirst()
                .orElseThrow();
    }
}
