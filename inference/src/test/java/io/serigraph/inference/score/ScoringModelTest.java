package io.serigraph.inference.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.Fixtures;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.store.ModelStore;
import io.serigraph.inference.store.ModelStoreException;
import io.serigraph.inference.store.ShippedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped tiny models installed from the jar's resources, and scoring-model resolution. */
class ScoringModelTest {
    @TempDir Path dir;

    @Test
    void shippedModelsInstallOnceAndAreTheDefault() throws Exception {
        Path root = dir.resolve("models");
        assertThat(ShippedModels.install(root)).isEqualTo(3);
        assertThat(ShippedModels.install(root)).isZero();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".tmp"))).isEmpty();
        }
        try (ModelStore store = ModelStore.open(root);
                ScoringModel model = ScoringModel.load(store, ScoringModel.DEFAULT);
                ModelStore fixtures = ModelStore.open(Fixtures.MODELS);
                ClipModel clip = ClipModel.load(fixtures, Fixtures.CLIP_FAMILY, Fixtures.VERSION);
                AestheticScorer head = AestheticScorer.load(fixtures, "aesthetic-tiny", "1")) {
            assertThat(model.name()).isEqualTo("clip-tiny/1");
            assertThat(model.description()).contains("aesthetic head aesthetic-tiny/1");
            assertThat(model.sha256()).hasSize(64);
            RgbaImage image = Fixtures.image("fixture-a.png");
            ScoringModel.ImageScore s = model.score(image);
            float[] want = clip.embedImage(image);
            assertThat(Fixtures.maxAbsDiff(s.embedding(), want)).isLessThanOrEqualTo(1e-6);
            assertThat(s.aesthetic())
                    .isCloseTo(head.score(want), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(model.embedText("a moth")).hasSize(model.dimension());
        }
    }

    @Test
    void aFamilyWithoutAnAestheticHeadScoresNaN() throws Exception {
        Path root = dir.resolve("models");
        ShippedModels.install(root);
        deleteTree(root.resolve("aesthetic-tiny"));
        try (ModelStore store = ModelStore.open(root);
                ScoringModel model = ScoringModel.load(store, "clip-tiny")) {
            assertThat(model.aesthetic()).isEmpty();
            assertThat(model.description()).contains("no aesthetic head for clip-tiny");
            assertThat(model.score(Fixtures.image("fixture-b.png")).aesthetic()).isNaN();
        }
    }

    @Test
    void namesThatDoNotResolveSayWhatIsInstalled() throws Exception {
        Path root = dir.resolve("models");
        try (ModelStore empty = ModelStore.open(Files.createDirectories(root))) {
            assertThatThrownBy(() -> ScoringModel.load(empty, ScoringModel.DEFAULT))
                    .isInstanceOf(ModelStoreException.class)
                    .hasMessageContaining("no CLIP model is installed");
        }
        ShippedModels.install(root);
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> ScoringModel.load(store, "clip-vit-l-14"))
                    .hasMessageContaining(
                            "no CLIP model clip-vit-l-14 is installed (installed: clip-tiny/1)");
            assertThatThrownBy(() -> ScoringModel.load(store, "clip-tiny/2"))
                    .hasMessageContaining("no CLIP model clip-tiny/2");
            assertThatThrownBy(() -> ScoringModel.load(store, "a/b/c"))
                    .hasMessageContaining("must be FAMILY or FAMILY/VERSION");
        }
        copyTree(root.resolve("clip-tiny-image/1"), root.resolve("clip-tiny-image/2"));
        copyTree(root.resolve("clip-tiny-text/1"), root.resolve("clip-tiny-text/2"));
        try (ModelStore store = ModelStore.open(root)) {
            assertThatThrownBy(() -> ScoringModel.load(store, "clip-tiny"))
                    .hasMessageContaining("several versions of clip-tiny are installed (1, 2)");
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
