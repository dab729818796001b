package io.serigraph.pipeline.spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-made token (a "1 of 1"): its own image and attributes, placed by the planner at a position
 * derived from the seed (see {@code docs/planner.md}).
 *
 * @param image absolute path of its image
 * @param attributes trait type to value, in the order written; shown in metadata as they are
 * @param choices per layer, bottom to top: the index of the trait the attributes name for that
 *     layer, or -1 when they name none of its traits (the layer is absent, or the value is not one
 *     of its traits)
 * @param combination whether the attributes are exactly a combination the planner could make (every
 *     attribute names a layer's trait with a positive weight, and every layer left out is
 *     optional); such a one-of-one takes its combination away from the generative tokens
 * @param line the spec line of the entry
 */
public record OneOfOneSpec(
        Path image,
        Map<String, String> attributes,
        List<Integer> choices,
        boolean combination,
        int line) {

    public OneOfOneSpec {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        choices = List.copyOf(choices);
    }
}
