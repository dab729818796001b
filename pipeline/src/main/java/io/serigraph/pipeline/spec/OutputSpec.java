package io.serigraph.pipeline.spec;

import io.serigraph.engine.resample.ResampleFilter;

/**
 * How tokens are written.
 *
 * @param format only {@code png} for now
 * @param width output width (defaults to the canvas width)
 * @param height output height (defaults to the canvas height)
 * @param compression zlib level 0..9 (default 6)
 */
public record OutputSpec(
        String format, int width, int height, ResampleFilter resample, int compression) {}
