package io.serigraph.pipeline.spec;

/**
 * The compositing canvas; every layer file has exactly this size.
 *
 * @param background straight (not premultiplied) 0xRRGGBBAA drawn under the bottom layer, or {@code
 *     null} for transparent
 */
public record Canvas(int width, int height, Integer background) {}
