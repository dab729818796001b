package io.serigraph.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link RgbaImage#isOpaque()} against its definition, one alpha byte at a time. */
class RgbaImageProperties {
    /**
     * An opaque image with at most one pixel of another alpha, anywhere: in a word-at-a-time
     * stretch or in the bytes after the last whole stretch, in either pixel of a word.
     */
    @Property(tries = 1000)
    void opaqueExactlyWhenEveryAlphaIs255(
            @ForAll @IntRange(min = 1, max = 130) int width,
            @ForAll @IntRange(min = 1, max = 9) int height,
            @ForAll @IntRange(min = -1, max = 1169) int at,
            @ForAll @IntRange(min = 0, max = 254) int alpha,
            @ForAll byte colour) {
        byte[] px = new byte[width * height * 4];
        for (int i = 0; i < px.length; i += 4) {
            px[i] = colour;
            px[i + 1] = colour;
            px[i + 2] = colour;
            px[i + 3] = (byte) 0xFF;
        }
        int pixel = at < 0 ? -1 : at % (width * height);
        if (pixel >= 0) {
            px[4 * pixel + 3] = (byte) alpha;
        }
        boolean expected = true;
        for (int i = 3; i < px.length; i += 4) {
            expected &= px[i] == (byte) 0xFF;
        }
        assertThat(RgbaImage.straight(width, height, px).isOpaque()).isEqualTo(expected);
    }
}
