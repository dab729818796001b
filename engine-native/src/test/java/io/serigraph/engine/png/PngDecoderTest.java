package io.serigraph.engine.png;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PngDecoderTest {
    private static final String DIR = "/png/conformance/";
    private static final List<String> SAMPLES =
            List.of(
                    "rgb8-flat-13x11.png",
                    "p2-adam7-13x11-trns.png",
                    "rgba16-adam7-13x11-filters.png",
                    "g1-adam7-7x5.png",
                    "ga8-flat-13x11-filters.png");

    private static byte[] fixture(String name) {
        return PngTestFiles.resource(DIR + name);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void decodesFilesWrittenByImageIo() throws Exception {
        int[] types = {
            BufferedImage.TYPE_4BYTE_ABGR,
            BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_BYTE_GRAY,
            BufferedImage.TYPE_USHORT_GRAY
        };
        SplittableRandom random = new SplittableRandom(42);
        for (int type : types) {
            BufferedImage image = new BufferedImage(37, 23, type);
            WritableRaster raster = image.getRaster();
            int bands = raster.getNumBands();
            int max = type == BufferedImage.TYPE_USHORT_GRAY ? 65535 : 255;
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    for (int b = 0; b < bands; b++) {
                        // A gradient with noise: all channels independent.
                        int v = (x * 7 + y * 3 * (b + 1)) * max / 400 + random.nextInt(max / 16);
                        raster.setSample(x, y, b, Math.min(max, v));
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ImageIO.write(image, "png", out)).isTrue();
            byte[] png = out.toByteArray();

            RgbaImage decoded = new PngDecoder().decode(png);
            RgbaImage straightDecoded = new PngDecoder().decode(png, AlphaMode.STRAIGHT);
            assertThat(straightDecoded.alphaMode()).isEqualTo(AlphaMode.STRAIGHT);
            int[] s = new int[bands];
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    raster.getPixel(x, y, s);
                    int[] straight = new int[4];
                    for (int c = 0; c < 4; c++) {
                        int v = bands >= 3 ? (c < bands ? s[c] : max) : (c < 3 ? s[0] : max);
                        straight[c] = max == 65535 ? (v * 255 + 32767) / 65535 : v;
                    }
                    int want =
                            PixelMath.premultiply(straight[0], straight[3]) << 24
                                    | PixelMath.premultiply(straight[1], straight[3]) << 16
                                    | PixelMath.premultiply(straight[2], straight[3]) << 8
                                    | straight[3];
                    assertThat(decoded.rgba(x, y))
                            .as("type %d pixel (%d, %d)", type, x, y)
                            .isEqualTo(want);
                    assertThat(straightDecoded.rgba(x, y))
                            .as("type %d pixel (%d, %d) straight", type, x, y)
                            .isEqualTo(
                                    straight[0] << 24
                                            | straight[1] << 16
                                            | straight[2] << 8
                                            | straight[3]);
                }
            }
        }
    }

    @Test
    void bytesAfterIendAreIgnored() throws Exception {
        for (String name : SAMPLES) {
            byte[] png = fixture(name);
            byte[] withJunk = concat(png, "trailing garbage".getBytes(), new byte[100]);
            assertThat(new PngDecoder().decode(withJunk).pixels())
                    .isEqualTo(new PngDecoder().decode(png).pixels());
        }
    }

    @Test
    void emptyIdatChunksAndUnknownAncillaryChunksAreAccepted() throws Exception {
        byte[] png = fixture("rgba16-adam7-13x11-filters.png");
        List<PngTestFiles.Chunk> chunks = PngTestFiles.chunks(png);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 8);
        boolean first = true;
        for (PngTestFiles.Chunk c : chunks) {
            if (c.type().equals("IDAT") && first) {
                out.writeBytes(PngTestFiles.chunk("quIt", "private data".getBytes()));
                out.writeBytes(PngTestFiles.chunk("IDAT", new byte[0]));
                first = false;
            }
            if (c.type().equals("IEND")) {
                out.writeBytes(PngTestFiles.chunk("IDAT", new byte[0]));
            }
            out.write(png, c.offset(), c.end() - c.offset());
            if (c.type().equals("IDAT")) {
                out.writeBytes(PngTestFiles.chunk("IDAT", new byte[0]));
            }
        }
        assertThat(new PngDecoder().decode(out.toByteArray()).pixels())
                .isEqualTo(new PngDecoder().decode(png).pixels());
    }

    @Test
    void thePixelBudgetIsInclusive() throws Exception {
        byte[] png = fixture("rgb8-flat-13x11.png");
        assertThat(new PngDecoder(13 * 11).decode(png).width()).isEqualTo(13);
        assertThatThrownBy(() -> new PngDecoder(13 * 11 - 1).decode(png))
                .isExactlyInstanceOf(PngFormatException.class)
                .hasMessage("PNG too large: 13x11 is over the pixel budget of 142 pixels");
        assertThatThrownBy(() -> new PngDecoder(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodePathPrefixesErrorsWithThePath(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.png");
        Files.write(good, fixture("p2-adam7-13x11-trns.png"));
        assertThat(new PngDecoder().decode(good).pixels())
                .isEqualTo(new PngDecoder().decode(fixture("p2-adam7-13x11-trns.png")).pixels());

        Path bad = dir.resolve("layers/Eyes#10.png");
        Files.createDirectories(bad.getParent());
        byte[] png = fixture("rgb8-flat-13x11.png");
        Files.write(bad, Arrays.copyOf(png, png.length - 20));
        assertThatThrownBy(() -> new PngDecoder().decode(bad))
                .isExactlyInstanceOf(PngFormatException.class)
                .hasMessageStartingWith(bad + ": truncated PNG");
    }

    /** Cutting a file anywhere is a truncation error (or a missing signature), nothing else. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "rgb8-flat-13x11.png",
                "p2-adam7-13x11-trns.png",
                "rgba16-adam7-13x11-filters.png"
            })
    void truncationAtEveryOffsetIsReported(String name) {
        byte[] png = fixture(name);
        for (int cut = 0; cut < png.length; cut++) {
            byte[] part = Arrays.copyOf(png, cut);
            int at = cut;
            assertThatThrownBy(() -> new PngDecoder().decode(part))
                    .as("%s cut at %d", name, at)
                    .isExactlyInstanceOf(PngFormatException.class)
                    .message()
                    .containsAnyOf("truncated PNG", "not a PNG file");
        }
    }

    /**
     * Random damage to any chunk's data, with its CRC made to match again so that the decoder has
     * to look inside, gives either an image of the declared size or a PngFormatException.
     */
    @Property(tries = 1500)
    void damagedChunksNeverEscapeAsAnotherException(
            @ForAll @IntRange(min = 0, max = 4) int sample,
            @ForAll @IntRange(min = 0, max = 1 << 20) int where,
            @ForAll @IntRange(min = 1, max = 4) int edits,
            @ForAll long seed) {
        byte[] png = fixture(SAMPLES.get(sample)).clone();
        List<PngTestFiles.Chunk> chunks = PngTestFiles.chunks(png);
        SplittableRandom random = new SplittableRandom(seed);
        PngTestFiles.Chunk c = chunks.get(where % chunks.size());
        if (c.length() > 0) {
            for (int i = 0; i < edits; i++) {
                png[c.dataOffset() + random.nextInt(c.length())] = (byte) random.nextInt(256);
            }
            PngTestFiles.fixCrc(png, c);
        }
        PngDecoder decoder = new PngDecoder(1 << 16);
        try {
            RgbaImage image = decoder.decode(png);
            PngInfo info = decoder.readInfo(png);
            assertThat(image.width()).isEqualTo(info.width());
            assertThat(image.height()).isEqualTo(info.height());
        } catch (PngFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
