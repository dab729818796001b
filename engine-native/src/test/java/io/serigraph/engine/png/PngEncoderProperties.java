package io.serigraph.engine.png;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder.FilterStrategy;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class PngEncoderProperties {
    /** How the alpha channel of a generated image is drawn. */
    enum AlphaMode {
        OPAQUE,
        ANY,
        /** Mostly 0 or 255, as in trait layers. */
        BINARY,
        /** Opaque except one pixel, to catch a wrong opacity test. */
        ONE_TRANSLUCENT
    }

    /** A valid premultiplied image: every channel at most its alpha. */
    static RgbaImage image(int width, int height, AlphaMode mode, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] px = new byte[width * height * 4];
        int special = random.nextInt(width * height);
        for (int p = 0; p < width * height; p++) {
            int a =
                    switch (mode) {
                        case OPAQUE -> 255;
                        case ANY -> random.nextInt(256);
                        case BINARY ->
                                random.nextInt(8) == 0
                                        ? random.nextInt(256)
                                        : (random.nextBoolean() ? 0 : 255);
                        case ONE_TRANSLUCENT -> p == special ? random.nextInt(255) : 255;
                    };
            // Smooth colours with some noise, so that the filters have something to predict.
            int x = p % width;
            int y = p / width;
            for (int c = 0; c < 3; c++) {
                int straight = (x * (c + 3) + y * (5 - c) + random.nextInt(9)) & 0xFF;
                px[4 * p + c] = (byte) PixelMath.premultiply(straight, a);
            }
            px[4 * p + 3] = (byte) a;
        }
        return new RgbaImage(width, height, px);
    }

    @Provide
    Arbitrary<RgbaImage> images() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 48),
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.of(AlphaMode.class),
                        Arbitraries.longs())
                .as(PngEncoderProperties::image);
    }

    @Property(tries = 400)
    void decodingTheEncodingGivesBackTheSameBytes(
            @ForAll("images") RgbaImage image,
            @ForAll FilterStrategy strategy,
            @ForAll @IntRange(min = 0, max = 9) int level)
            throws Exception {
        try (PngEncoder encoder = new PngEncoder(strategy, level)) {
            byte[] png = encoder.encode(image);
            RgbaImage back = new PngDecoder().decode(png);
            assertThat(back.width()).isEqualTo(image.width());
            assertThat(back.height()).isEqualTo(image.height());
            assertThat(back.pixels()).isEqualTo(image.pixels());
            assertThat(png[25])
                    .as("colour type")
                    .isEqualTo((byte) (image.isOpaque() ? PngInfo.RGB : PngInfo.RGBA));
        }
    }

    /** javax.imageio, an independent reader, sees the straight (un-premultiplied) samples. */
    @Property(tries = 150)
    void imageIoReadsTheStraightPixels(
            @ForAll("images") RgbaImage image, @ForAll FilterStrategy strategy) throws Exception {
        byte[] png;
        try (PngEncoder encoder = new PngEncoder(strategy, 6)) {
            png = encoder.encode(image);
        }
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
        Raster raster = read.getRaster();
        int bands = image.isOpaque() ? 3 : 4;
        assertThat(raster.getNumBands()).isEqualTo(bands);
        int[] s = new int[bands];
        byte[] px = image.pixels();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                raster.getPixel(x, y, s);
                int i = (y * image.width() + x) * 4;
                int a = px[i + 3] & 0xFF;
                for (int c = 0; c < 3; c++) {
                    assertThat(s[c])
                            .as("(%d, %d) channel %d", x, y, c)
                            .isEqualTo(PixelMath.unpremultiply(px[i + c] & 0xFF, a));
                }
                if (bands == 4) {
                    assertThat(s[3]).isEqualTo(a);
                }
            }
        }
    }

    /** Each fixed strategy writes its filter type on every row; the stream and array agree. */
    @Property(tries = 100)
    void fixedStrategiesUseTheirFilterTypeAndOutputIsDeterministic(
            @ForAll("images") RgbaImage image,
            @ForAll FilterStrategy strategy,
            @ForAll @IntRange(min = 0, max = 9) int level)
            throws Exception {
        byte[] png;
        try (PngEncoder encoder = new PngEncoder(strategy, level)) {
            // A larger image first, so that the scratch buffers are reused at a smaller size.
            encoder.encode(image(97, 13, AlphaMode.ANY, 7));
            png = encoder.encode(image);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            encoder.encode(image, stream);
            assertThat(stream.toByteArray()).isEqualTo(png);
        }
        try (PngEncoder fresh = new PngEncoder(strategy, level)) {
            assertThat(fresh.encode(image)).isEqualTo(png);
        }
        List<Integer> types = PngScanlines.filterTypePerRow(png);
        assertThat(types).hasSize(image.height());
        if (strategy.ordinal() <= FilterStrategy.PAETH.ordinal()) {
            assertThat(types).containsOnly(strategy.ordinal());
        }
        if (strategy == FilterStrategy.SAMPLED) {
            for (int y = 0; y < types.size(); y++) {
                int first = y - y % PngEncoder.SAMPLE_EVERY;
                assertThat(types.get(y)).as("row %d", y).isEqualTo(types.get(first));
            }
        }
    }

    /**
     * Every compression setting (presets on {@link FastDeflater}, levels on zlib) decodes to the
     * same pixels through {@link PngDecoder} and javax.imageio, and gives the same bytes from a
     * reused and a fresh encoder.
     */
    @Property(tries = 300)
    void everyCompressionSettingRoundTripsAndIsDeterministic(
            @ForAll("images") RgbaImage image, @ForAll("compressions") PngCompression compression)
            throws Exception {
        byte[] png;
        try (PngEncoder encoder = new PngEncoder(compression)) {
            encoder.encode(image(131, 57, AlphaMode.BINARY, 3));
            png = encoder.encode(image);
            assertThat(encoder.encode(image)).isEqualTo(png);
        }
        try (PngEncoder fresh = new PngEncoder(compression)) {
            assertThat(fresh.encode(image)).isEqualTo(png);
        }
        RgbaImage back = new PngDecoder().decode(png);
        assertThat(back.pixels()).isEqualTo(image.pixels());
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(read.getWidth()).isEqualTo(image.width());
        assertThat(read.getHeight()).isEqualTo(image.height());
        assertThat(read.getRaster().getNumBands()).isEqualTo(image.isOpaque() ? 3 : 4);
    }

    @Provide
    Arbitrary<PngCompression> compressions() {
        return Arbitraries.of("fast", "default", "max", "0", "1", "6", "9")
                .map(PngCompression::fromSpecName);
    }

    @Example
    void compressionNamesParseAndBadOnesAreRefused() {
        assertThat(PngCompression.fromSpecName("fast")).isSameAs(PngCompression.FAST);
        assertThat(PngCompression.fromSpecName(" Default ")).isSameAs(PngCompression.DEFAULT);
        assertThat(PngCompression.fromSpecName("MAX")).isSameAs(PngCompression.MAX);
        assertThat(PngCompression.fromSpecName("7")).isSameAs(PngCompression.level(7));
        assertThat(PngCompression.level(7).zlibLevel()).isEqualTo(7);
        assertThat(PngCompression.level(7).filterStrategy()).isEqualTo(FilterStrategy.ADAPTIVE);
        assertThat(PngCompression.DEFAULT.usesFastDeflater()).isTrue();
        assertThat(PngCompression.MAX.usesFastDeflater()).isFalse();
        for (String bad : new String[] {"10", "-1", "fastest", "", "6.0", "01", null}) {
            assertThat(PngCompression.fromSpecName(bad)).as("'%s'", bad).isNull();
        }
        assertThatThrownBy(() -> PngCompression.level(10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 to 9");
    }

    /** A large image is encoded in row bands; the fast path's stream spans all of them. */
    @Example
    void imagesLargerThanOneBandRoundTripOnTheFastPath() throws Exception {
        // 2100 x 2100 RGBA rows take 8401 bytes; 16 MiB bands hold 1997 rows, so two bands.
        RgbaImage image = image(2100, 2100, AlphaMode.ONE_TRANSLUCENT, 11);
        try (PngEncoder encoder = new PngEncoder(PngCompression.DEFAULT)) {
            byte[] png = encoder.encode(image);
            assertThat(new PngDecoder().decode(png).pixels()).isEqualTo(image.pixels());
        }
    }

    @Example
    void adaptiveFilteringPicksTheFilterThatPredictsEachRow() throws Exception {
        // Rows 0..15 are a horizontal ramp (SUB predicts it exactly); then every row repeats the
        // one above it (UP predicts it exactly); the first row has no row above, so SUB wins.
        int w = 64;
        int h = 16;
        byte[] px = new byte[w * h * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 4;
                px[i] = (byte) (x * 3);
                px[i + 1] = (byte) (x * 3 + (x % 7) * 17);
                px[i + 2] = (byte) (200 - x);
                px[i + 3] = (byte) 255;
            }
        }
        try (PngEncoder encoder = new PngEncoder()) {
            List<Integer> types =
                    PngScanlines.filterTypePerRow(encoder.encode(new RgbaImage(w, h, px)));
            assertThat(types.get(0)).isEqualTo(FilterStrategy.SUB.ordinal());
            assertThat(types.subList(1, h)).containsOnly(FilterStrategy.UP.ordinal());
        }
    }

    @Example
    void outputHasOnlyTheCriticalChunks() throws Exception {
        try (PngEncoder encoder = new PngEncoder(FilterStrategy.ADAPTIVE, 9)) {
            byte[] png = encoder.encode(image(300, 300, AlphaMode.ANY, 3));
            List<String> types =
                    PngTestFiles.chunks(png).stream().map(PngTestFiles.Chunk::type).toList();
            assertThat(types.get(0)).isEqualTo("IHDR");
            assertThat(types.get(types.size() - 1)).isEqualTo("IEND");
            assertThat(types.subList(1, types.size() - 1))
                    .hasSizeGreaterThan(1)
                    .containsOnly("IDAT");
            assertThat(PngTestFiles.chunks(png).get(1).length()).isEqualTo(1 << 16);
        }
    }

    @Example
    void invalidSettingsAndUseAfterCloseAreRefused() {
        assertThatThrownBy(() -> new PngEncoder(FilterStrategy.NONE, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 to 9");
        assertThatThrownBy(() -> new PngEncoder(FilterStrategy.NONE, -1))
                .isInstanceOf(IllegalArgumentException.class);
        PngEncoder encoder = new PngEncoder();
        encoder.close();
        encoder.close();
        assertThatThrownBy(() -> encoder.encode(image(2, 2, AlphaMode.ANY, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Example
    void straightImagesAreRejected() {
        try (PngEncoder encoder = new PngEncoder()) {
            RgbaImage straight = RgbaImage.straight(2, 2, new byte[16]);
            assertThatThrownBy(() -> encoder.encode(straight))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("STRAIGHT");
        }
    }
}
