package io.serigraph.pipeline.spec;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * One layer, bottom to top, with its traits scanned from {@code dir}.
 *
 * @param traits sorted by name (Unicode code point order), so the order never depends on the file
 *     system
 * @param noneWeight the weight of "no trait from this layer", or {@code null} when the layer is not
 *     optional
 * @param line the spec line that declares the layer (for error messages)
 */
public record LayerSpec(
        String name, Path dir, List<TraitSpec> traits, BigDecimal noneWeight, int line) {

    public LayerSpec {
        traits = List.copyOf(traits);
    }

    public boolean optional() {
        return noneWeight != null && noneWeight.signum() > 0;
    }
}
