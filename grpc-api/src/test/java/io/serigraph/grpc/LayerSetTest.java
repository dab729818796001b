package io.serigraph.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.pipeline.spec.CollectionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerSetTest {
    @TempDir Path dir;

    @Test
    void hashDependsOnPathsAndBytesNotOnOrder() {
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        byte[] b = "b".getBytes(StandardCharsets.UTF_8);
        String h1 = LayerSet.of(Map.of("layers/x/A.png", a, "layers/y/B.png", b)).hash();
        String h2 = LayerSet.of(Map.of("layers/y/B.png", b, "layers/x/A.png", a)).hash();
        String h3 = LayerSet.of(Map.of("layers/x/A.png", b, "layers/y/B.png", a)).hash();
        String h4 = LayerSet.of(Map.of("layers/x/C.png", a, "layers/y/B.png", b)).hash();
        assertThat(h1).isEqualTo(h2).hasSize(64).isNotEqualTo(h3).isNotEqualTo(h4);
    }

    @Test
    void specLayerSetHoldsEveryTraitFileByRelativePath() throws Exception {
        CollectionSpec spec = Fixtures.sample(dir, 5);
        LayerSet set = LayerSet.of(spec);
        int traits = spec.layers().stream().mapToInt(l -> l.traits().size()).sum();
        assertThat(set.files()).hasSize(traits);
        assertThat(set.files().keySet()).allMatch(p -> p.startsWith("layers/"));
        assertThat(LayerSet.of(spec).hash()).isEqualTo(set.hash());
    }

    @Test
    void unsafePathsAreRefused() {
        for (String bad : new String[] {"", "/etc/passwd", "a/../b", "./a", "a//b", "a\\b", ".."}) {
            assertThatThrownBy(() -> LayerSet.checkPath(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(LayerSet.checkPath("layers/Body/Blue#3.png"))
                .isEqualTo("layers/Body/Blue#3.png");
    }
}
