package io.serigraph.engine.png;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes the conformance set written by pypng (see {@code png/conformance/README.md}) and compares
 * every pixel with the expected straight samples, converted with the documented formulas.
 */
class PngConformanceTest {
    private static final String DIR = "/png/conformance/";

    static List<String> fixtures() {
        return PngTestFiles.lines(DIR + "manifest.txt");
    }

    /** Expected straight samples of a fixture: width, height, sample depth, RGBA per pixel. */
    record Expected(int width, int height, int depth, int[] rgba) {
        static Expected of(String pngName) {
            String sidecar = pngName.substring(0, pngName.length() - 4) + ".txt";
            String[] lines = PngTestFiles.text(DIR + sidecar).split("\n");
            String[] head = lines[0].trim().split(" ");
            int w = Integer.parseInt(head[0]);
            int h = Integer.parseInt(head[1]);
            int[] rgba = new int[w * h * 4];
            int i = 0;
            for (int y = 0; y < h; y++) {
                for (String v : lines[1 + y].trim().split(" ")) {
                    rgba[i++] = Integer.parseInt(v);
                }
            }
            assertThat(i).as("samples in %s", sidecar).isEqualTo(rgba.length);
            return new Expected(w, h, Integer.parseInt(head[2]), rgba);
        }

        /** A sample of this fixture's depth to 8 bits, as the decoder documents. */
        int to8(int v) {
            return depth == 16 ? (v * 255 + 32767) / 65535 : v * 255 / ((1 << depth) - 1);
        }
    }

    static void assertMatches(RgbaImage image, Expected e, String name) {
        boolean straightMode = image.alphaMode() == AlphaMode.STRAIGHT;
        assertThat(image.width()).as("width of %s", name).isEqualTo(e.width());
        assertThat(image.height()).as("height of %s", name).isEqualTo(e.height());
        byte[] px = image.pixels();
        for (int p = 0; p < e.width() * e.height(); p++) {
            int a = e.to8(e.rgba()[4 * p + 3]);
            for (int c = 0; c < 4; c++) {
                int straight = e.to8(e.rgba()[4 * p + c]);
                int want = c == 3 || straightMode ? straight : PixelMath.premultiply(straight, a);
                int got = px[4 * p + c] & 0xFF;
                if (got != want) {
                    throw new AssertionError(
                            String.format(
                                    "%s: pixel (%d, %d) channel %d: decoded %d, expected %d"
                                            + " (straight sample %d at depth %d)",
                                    name,
                                    p % e.width(),
                                    p / e.width(),
                                    c,
                                    got,
                                    want,
                                    e.rgba()[4 * p + c],
                                    e.depth()));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesEveryPixelOfThePypngFixture(String name) throws Exception {
        RgbaImage image = new PngDecoder().decode(PngTestFiles.resource(DIR + name));
        assertThat(image.alphaMode()).isEqualTo(AlphaMode.PREMULTIPLIED);
        assertMatches(image, Expected.of(name), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesEveryStoredSampleOfThePypngFixtureStraight(String name) throws Exception {
        RgbaImage image =
                new PngDecoder().decode(PngTestFiles.resource(DIR + name), AlphaMode.STRAIGHT);
        assertThat(image.alphaMode()).isEqualTo(AlphaMode.STRAIGHT);
        assertMatches(image, Expected.of(name), name);
    }

    @Test
    void theSetCoversEveryColourTypeDepthAndInterlaceWithTransparency() throws Exception {
        Set<String> seen = new HashSet<>();
        Set<String> withTrns = new HashSet<>();
        PngDecoder decoder = new PngDecoder();
        for (String name : fixtures()) {
            byte[] png = PngTestFiles.resource(DIR + name);
            PngInfo info = decoder.readInfo(png);
            String key = info.colorType() + "/" + info.bitDepth() + "/" + info.interlaced();
            seen.add(key);
            if (PngTestFiles.chunks(png).stream().anyMatch(c -> c.type().equals("tRNS"))) {
                withTrns.add(key);
            }
        }
        Set<String> all = new HashSet<>();
        int[][] depths = {{1, 2, 4, 8, 16}, {}, {8, 16}, {1, 2, 4, 8}, {8, 16}, {}, {8, 16}};
        for (int type = 0; type < depths.length; type++) {
            for (int depth : depths[type]) {
                for (boolean interlaced : new boolean[] {false, true}) {
                    all.add(type + "/" + depth + "/" + interlaced);
                }
            }
        }
        assertThat(all).hasSize(30);
        assertThat(seen).isEqualTo(all);
        assertThat(withTrns)
                .as("tRNS for every grey, RGB and palette format")
                .hasSize(22)
                .allMatch(k -> k.startsWith("0/") || k.startsWith("2/") || k.startsWith("3/"));
    }

    /** javax.imageio as a second reader agrees with the fixture sidecars on the raw samples. */
    @Test
    void imageIoReadsTheSameSamplesAsTheSidecarsSay() throws IOException {
        int checked = 0;
        for (String name : fixtures()) {
            boolean direct =
                    name.startsWith("rgb")
                            || name.startsWith("ga")
                            || name.startsWith("g8")
                            || name.startsWith("g16");
            if (!direct || name.contains("trns")) {
                continue;
            }
            Raster raster =
                    ImageIO.read(new ByteArrayInputStream(PngTestFiles.resource(DIR + name)))
                            .getRaster();
            Expected e = Expected.of(name);
            int bands = raster.getNumBands();
            int[] samples = raster.getPixels(0, 0, e.width(), e.height(), (int[]) null);
            for (int p = 0; p < e.width() * e.height(); p++) {
                int[] want =
                        switch (bands) {
                            case 1 -> new int[] {e.rgba()[4 * p]};
                            case 2 -> new int[] {e.rgba()[4 * p], e.rgba()[4 * p + 3]};
                            case 3 ->
                                    new int[] {
                                        e.rgba()[4 * p], e.rgba()[4 * p + 1], e.rgba()[4 * p + 2]
                                    };
                            default ->
                                    new int[] {
                                        e.rgba()[4 * p],
                                        e.rgba()[4 * p + 1],
                                        e.rgba()[4 * p + 2],
                                        e.rgba()[4 * p + 3]
                                    };
                        };
                for (int b = 0; b < bands; b++) {
                    assertThat(samples[p * bands + b])
                            .as("%s pixel %d band %d", name, p, b)
                            .isEqualTo(want[b]);
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(60);
    }

    static Stream<String> filteredFixtures() {
        return fixtures().stream().filter(n -> n.endsWith("-filters.png"));
    }

    /** The re-filtered fixtures really use all five filter types, over many IDAT chunks. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("filteredFixtures")
    void filteredFixturesUseEveryFilterTypeAndManyIdatChunks(String name) throws Exception {
        byte[] png = PngTestFiles.resource(DIR + name);
        long idats = PngTestFiles.chunks(png).stream().filter(c -> c.type().equals("IDAT")).count();
        assertThat(idats).isGreaterThan(1);
        assertThat(PngScanlines.filterTypes(png)).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }
}
