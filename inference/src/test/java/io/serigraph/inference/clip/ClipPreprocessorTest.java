package io.serigraph.inference.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.Fixtures;
import org.junit.jupiter.api.Test;

class ClipPreprocessorTest {

    /** Java preprocessing of the fixture PNGs equals torchvision's CLIP transform (PIL bicubic). */
    @Test
    void matchesClipTransformOnFixtures() throws Exception {
        JsonNode cases = Fixtures.json("preprocess.json");
        assertThat(cases.size()).isEqualTo(4);
        for (JsonNode c : cases) {
            RgbaImage image = Fixtures.image(c.get("image").asText());
            JsonNode bg = c.get("background");
            int rgb = bg.get(0).asInt() << 16 | bg.get(1).asInt() << 8 | bg.get(2).asInt();
            ClipPreprocessor pre = ClipPreprocessor.clip(c.get("size").asInt(), rgb);
            float[] expected = Fixtures.tensor(c.get("tensor").asText());
            float[] actual = pre.apply(image);
            assertThat(Fixtures.maxAbsDiff(actual, expected))
                    .as("%s at %d", c.get("image").asText(), c.get("size").asInt())
                    .isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void compositesPremultipliedPixelsOntoBackground() {
        // One opaque red pixel, one half-transparent premultiplied green, one fully transparent.
        byte[] px = {(byte) 255, 0, 0, (byte) 255, 0, (byte) 128, 0, (byte) 128, 0, 0, 0, 0};
        byte[] rgb = ClipPreprocessor.compositeRgb(new RgbaImage(3, 1, px), 0x0A14FF);
        assertThat(rgb)
                .containsExactly(
                        (byte) 255,
                        0,
                        0, // opaque: unchanged
                        5,
                        (byte) (128 + 10),
                        (byte) 127, // 128 + div255(127 * bg)
                        10,
                        20,
                        (byte) 255); // transparent: the background
    }

    @Test
    void resizingToTheSameSizeIsTheIdentity() {
        byte[] in = new byte[5 * 4 * 3];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) (i * 37);
        }
        assertThat(PilBicubic.resize(in, 5, 4, 3, 5, 4, 0, 0, 5, 4)).containsExactly(in);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> ClipPreprocessor.clip(0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new ClipPreprocessor(
                                        200,
                                        224,
                                        ClipPreprocessor.CLIP_MEAN,
                                        ClipPreprocessor.CLIP_STD,
                                        0))
                .hasMessageContaining("resize >= crop");
    }
}
