package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.inference.batch.BatchPolicy;
import io.serigraph.inference.score.ScoringModel;
import io.serigraph.inference.store.ModelStoreException;
import io.serigraph.inference.store.ShippedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's default models picked by scoring-model name, as {@code score} and {@code qc} pick. */
class InferenceModelsTest {
    @TempDir Path dir;

    @Test
    void theDefaultNamePicksTheBestInstalledModelAndItsHead() throws Exception {
        ShippedModels.install(dir);
        try (InferenceModels models =
                InferenceModels.open(dir, ScoringModel.DEFAULT, BatchPolicy.DEFAULT)) {
            assertThat(models.defaults())
                    .isEqualTo("clip-tiny/1 with aesthetic head aesthetic-tiny/1");
            assertThat(models.clipId("")).isEqualTo("clip-tiny/1");
            assertThat(models.aestheticId("")).isEqualTo("aesthetic-tiny/1");
            assertThat(models.hasDefaultAesthetic()).isTrue();
        }
    }

    @Test
    void withoutAHeadForTheFamilyScoreMustNameOne() throws Exception {
        ShippedModels.install(dir);
        delete(dir.resolve("aesthetic-tiny"));
        try (InferenceModels models = InferenceModels.open(dir, "clip-tiny", BatchPolicy.DEFAULT)) {
            assertThat(models.defaults())
                    .isEqualTo("clip-tiny/1 (no aesthetic head for it installed)");
            assertThat(models.hasDefaultAesthetic()).isFalse();
            assertThatThrownBy(() -> models.aesthetic(""))
                    .isInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("no aesthetic head for clip-tiny/1")
                    .hasMessageContaining("aesthetic_model");
        }
    }

    @Test
    void aModelThatIsNotInstalledNamesWhatIs() throws Exception {
        ShippedModels.install(dir);
        assertThatThrownBy(() -> InferenceModels.open(dir, "clip-vit-b-32", BatchPolicy.DEFAULT))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("no CLIP model clip-vit-b-32 is installed")
                .hasMessageContaining("installed: clip-tiny/1");
    }

    private static void delete(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
