package io.serigraph.pipeline.plan;

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

/** Builds specs for planner tests; paths are fake and never touched. */
final class Specs {
    static final Path BASE = Path.of("/fake/collection");

    private Specs() {}

    static CollectionSpec spec(int size, String seed, List<LayerSpec> layers) {
        return spec(size, seed, 1, layers);
    }

    static CollectionSpec spec(int size, String seed, long startId, List<LayerSpec> layers) {
        return new CollectionSpec(
                BASE.resolve("serigraph.yaml"),
                "Moths",
                "MOTH",
                "Night flyers.",
                size,
                seed,
                startId,
                new Canvas(64, 64, null),
                layers,
                new OutputSpec("png", 64, 64, ResampleFilter.NEAREST, PngCompression.level(6)),
                new MetadataSpec("Moth #{id}", "A moth.", null, "ipfs://cid/"));
    }

    /** A layer; {@code traits} alternates name, weight: {@code "Blue", "1", "Gold", "0.5"}. */
    static LayerSpec layer(String name, String noneWeight, String... traits) {
        List<TraitSpec> list = new ArrayList<>();
        for (int i = 0; i < traits.length; i += 2) {
            list.add(trait(name, traits[i], traits[i + 1]));
        }
        return new LayerSpec(
                name,
                BASE.resolve("layers").resolve(name),
                list,
                noneWeight == null ? null : new BigDecimal(noneWeight),
                1);
    }

    static TraitSpec trait(String layer, String name, String weight) {
        return new TraitSpec(
                name,
                new BigDecimal(weight),
                BASE.resolve("layers").resolve(layer).resolve(name + "#" + weight + ".png"));
    }

    /** {@code count} traits named T00.. with weight 1. */
    static LayerSpec uniform(String name, String noneWeight, int count) {
        String[] traits = new String[count * 2];
        for (int i = 0; i < count; i++) {
            traits[2 * i] = String.format("T%02d", i);
            traits[2 * i + 1] = "1";
        }
        return layer(name, noneWeight, traits);
    }

    /** The test-vector layers of docs/determinism.md. */
    static List<LayerSpec> vectorLayers() {
        return List.of(
                layer("Background", null, "Blue", "1", "Gold", "0.50", "Green", "2.25"),
                layer("Body", null, "Moth", "3", "Owl", "1.0", "Zero", "0"),
                layer("Hat", "1.5", "Cap", "1", "Crown", "0.25"));
    }

    static List<String> dnas(Plan plan) {
        return plan.tokens().stream().map(PlannedToken::dna).toList();
    }
}
