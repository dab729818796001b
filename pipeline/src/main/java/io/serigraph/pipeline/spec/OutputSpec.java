package io.serigraph.pipeline.spec;

import io.serigraph.engine.png.PngCompression;
import io.serigraph.engine.resample.ResampleFilter;

/**
 * How tokens are written.
 *
 * @param format only {@code png} for now
 * @param width output width (defaults to the canvas width)
 * @param height output height (defaults to the canvas height)
 * @param compression a preset ({@code fast}, {@code default}, {@code max}) or a zlib level 0..9;
 *     {@link PngCompression#DEFAULT} when the spec has none
 */
public record OutputSpec(
        String format,
        int width,
        int height,
        ResampleFilter resample,
        PngCompression compression) {}
