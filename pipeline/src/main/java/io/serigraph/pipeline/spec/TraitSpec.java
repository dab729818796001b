package io.serigraph.pipeline.spec;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * One trait: a PNG file in a layer folder, named HashLips-style {@code <Trait>#<weight>.png}.
 *
 * @param name the trait value shown in metadata (the file name without weight and extension)
 * @param weight exact relative weight (decimal, non-negative; 1 when the name has no {@code #})
 * @param file absolute path of the PNG
 */
public record TraitSpec(String name, BigDecimal weight, Path file) {}
