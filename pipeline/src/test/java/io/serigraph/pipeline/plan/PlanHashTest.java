package io.serigraph.pipeline.plan;

import static io.serigraph.pipeline.plan.Specs.layer;
import static io.serigraph.pipeline.plan.Specs.spec;
import static io.serigraph.pipeline.plan.Specs.vectorLayers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.png.PngCompression;
import io.serigraph.engine.resample.ResampleFilter;
import io.serigraph.pipeline.spec.Canvas;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.MetadataSpec;
import io.serigraph.pipeline.spec.OutputSpec;
import io.serigraph.pipeline.spec.TraitSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanHashTest {
    private static final CollectionSpec BASE = spec(10, "42", vectorLayers());

    @Test
    void canonicalDecimal() {
        assertThat(PlanHash.canonicalDecimal(new BigDecimal("1.000"))).isEqualTo("1");
        assertThat(PlanHash.canonicalDecimal(new BigDecimal("0.50"))).isEqualTo("0.5");
        assertThat(PlanHash.canonicalDecimal(new BigDecimal("1E+2"))).isEqualTo("100");
        assertThat(PlanHash.canonicalDecimal(new BigDecimal("0.000"))).isEqualTo("0");
        assertThat(PlanHash.canonicalDecimal(new BigDecimal("0E+3"))).isEqualTo("0");
        assertThat(PlanHash.canonicalDecimal(new BigDecimal("12.3400"))).isEqualTo("12.34");
    }

    @Test
    void ignoresSeedPathsDescriptionMetadataOutputCanvasAndNames() {
        CollectionSpec other =
                new CollectionSpec(
                        Path.of("/elsewhere/x.yaml"),
                        "Other name",
                        "OTHR",
                        "Another description",
                        BASE.size(),
                        "a different seed",
                        BASE.startId(),
                        new Canvas(2048, 2048, 0xFF0000FF),
                        relocated(BASE.layers()),
                        new OutputSpec(
                                "png", 512, 512, ResampleFilter.LANCZOS3, PngCompression.level(9)),
                        new MetadataSpec("Other #{id}", "Other", "https://x/{id}", "ipfs://y/"));
        assertThat(PlanHash.hexOf(other)).isEqualTo(PlanHash.hexOf(BASE));
        assertThat(new Planner(1).plan(spec(10, "42", relocated(vectorLayers()))))
                .isEqualTo(new Planner(1).plan(BASE));
    }

    @Test
    void equalDecimalsHashEqual() {
        CollectionSpec trailingZeros =
                spec(
                        10,
                        "42",
                        List.of(
                                layer(
                                        "Background",
                                        null,
                                        "Blue",
                                        "1.00",
                                        "Gold",
                                        "0.5",
                                        "Green",
                                        "2.250"),
                                layer("Body", null, "Moth", "3.0", "Owl", "1", "Zero", "0.000"),
                                layer("Hat", "1.50", "Cap", "1", "Crown", "0.250")));
        assertThat(PlanHash.hexOf(trailingZeros)).isEqualTo(PlanHash.hexOf(BASE));
    }

    @Test
    void zeroOrAbsentNoneWeightAreTheSame() {
        CollectionSpec absent = spec(3, "42", List.of(layer("L", null, "A", "1", "B", "2")));
        CollectionSpec zero = spec(3, "42", List.of(layer("L", "0", "A", "1", "B", "2")));
        assertThat(PlanHash.hexOf(zero)).isEqualTo(PlanHash.hexOf(absent));
    }

    @Test
    void everythingThatDeterminesThePlanChangesTheHash() {
        String base = PlanHash.hexOf(BASE);
        List<LayerSpec> layers = vectorLayers();
        assertThat(PlanHash.hexOf(spec(11, "42", layers))).isNotEqualTo(base);
        assertThat(PlanHash.hexOf(spec(10, "42", 0, layers))).isNotEqualTo(base);
        assertThat(
                        PlanHash.hexOf(
                                spec(
                                        10,
                                        "42",
                                        List.of(layers.get(1), layers.get(0), layers.get(2)))))
                .isNotEqualTo(base);
        assertThat(
                        PlanHash.hexOf(
                                spec(
                                        10,
                                        "42",
                                        List.of(
                                                layers.get(0),
                                                layers.get(1),
                                                layer("Hat", "1.6", "Cap", "1", "Crown", "0.25")))))
                .isNotEqualTo(base);
        assertThat(
                        PlanHash.hexOf(
                                spec(
                                        10,
                                        "42",
                                        List.of(
                                                layers.get(0),
                                                layers.get(1),
                                                layer("Hat", null, "Cap", "1", "Crown", "0.25")))))
                .isNotEqualTo(base);
        assertThat(
                        PlanHash.hexOf(
                                spec(
                                        10,
                                        "42",
                                        List.of(
                                                layers.get(0),
                                                layers.get(1),
                                                layer(
                                                        "Hats", "1.5", "Cap", "1", "Crown",
                                                        "0.25")))))
                .isNotEqualTo(base);
        assertThat(
                        PlanHash.hexOf(
                                spec(
                                        10,
                                        "42",
                                        List.of(
                                                layers.get(0),
                                                layers.get(1),
                                                layer("Hat", "1.5", "Cap", "1", "Crown", "0.26")))))
                .isNotEqualTo(base);
        assertThat(
                        PlanHash.hexOf(
                                spec(
                                        10,
                                        "42",
                                        List.of(
                                                layers.get(0),
                                                layers.get(1),
                                                layer("Hat", "1.5", "Cap", "1", "Tiara", "0.25")))))
                .isNotEqualTo(base);
    }

    @Test
    void lengthPrefixesKeepNamesApart() {
        CollectionSpec a = spec(1, "s", List.of(layer("ab", null, "c", "1")));
        CollectionSpec b = spec(1, "s", List.of(layer("a", null, "bc", "1")));
        assertThat(PlanHash.hexOf(a)).isNotEqualTo(PlanHash.hexOf(b));
    }

    @Test
    void rejectsNegativeWeightsNamingLayerAndTrait() {
        CollectionSpec bad = spec(1, "42", List.of(layer("Eyes", null, "Red", "-1")));
        assertThatThrownBy(() -> PlanHash.of(bad))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("Eyes")
                .hasMessageContaining("Red")
                .hasMessageContaining("negative");
    }

    private static List<LayerSpec> relocated(List<LayerSpec> layers) {
        List<LayerSpec> out = new ArrayList<>();
        for (LayerSpec l : layers) {
            List<TraitSpec> traits = new ArrayList<>();
            for (TraitSpec t : l.traits()) {
                traits.add(
                        new TraitSpec(t.name(), t.weight(), Path.of("/moved", t.name() + ".png")));
            }
            out.add(
                    new LayerSpec(
                            l.name(), Path.of("/moved"), traits, l.noneWeight(), l.line() + 7));
        }
        return out;
    }
}
