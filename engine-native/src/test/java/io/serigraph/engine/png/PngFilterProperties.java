package io.serigraph.engine.png;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngEncoder.FilterStrategy;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The encoder's scanlines are exactly the PNG spec's filters (clause 9) of the straight samples, as
 * a plain byte-by-byte reference computes them, with the filter types each strategy picks: the
 * encoder's word-at-a-time filters must not change one byte. Images are flat art (solid shapes,
 * repeated rows, the odd stray pixel), where those shortcuts fire, and smooth noise, where they do
 * not.
 */
class PngFilterProperties {
    /** Flat art: a background, solid rectangles, copied rows and a few stray pixels. */
    static RgbaImage flatArt(int width, int height, boolean translucent, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] argb = new int[width * height];
        Arrays.fill(argb, colour(random, false));
        for (int s = random.nextInt(6); s > 0; s--) {
            int x0 = random.nextInt(width);
            int y0 = random.nextInt(height);
            int x1 = x0 + 1 + random.nextInt(width - x0);
            int y1 = y0 + 1 + random.nextInt(height - y0);
            int c = colour(random, translucent);
            for (int y = y0; y < y1; y++) {
                Arrays.fill(argb, y * width + x0, y * width + x1, c);
            }
        }
        for (int n = random.nextInt(4); n > 0; n--) {
            argb[random.nextInt(argb.length)] = colour(random, translucent);
        }
        if (height > 2 && random.nextBoolean()) {
            int y = 1 + random.nextInt(height - 1);
            System.arraycopy(argb, (y - 1) * width, argb, y * width, width);
        }
        byte[] px = new byte[width * height * 4];
        for (int p = 0; p < argb.length; p++) {
            int a = argb[p] >>> 24;
            for (int c = 0; c < 3; c++) {
                px[4 * p + c] = (byte) PixelMath.premultiply((argb[p] >>> (16 - 8 * c)) & 0xFF, a);
            }
            px[4 * p + 3] = (byte) a;
        }
        return new RgbaImage(width, height, px);
    }

    private static int colour(SplittableRandom random, boolean translucent) {
        int a = translucent && random.nextBoolean() ? random.nextInt(256) : 255;
        return a << 24 | random.nextInt(1 << 24);
    }

    @Provide
    Arbitrary<RgbaImage> images() {
        Arbitrary<RgbaImage> flat =
                Combinators.combine(
                                Arbitraries.integers().between(1, 90),
                                Arbitraries.integers().between(1, 40),
                                Arbitraries.of(false, true),
                                Arbitraries.longs())
                        .as(PngFilterProperties::flatArt);
        Arbitrary<RgbaImage> noisy =
                Combinators.combine(
                                Arbitraries.integers().between(1, 70),
                                Arbitraries.integers().between(1, 40),
                                Arbitraries.of(PngEncoderProperties.AlphaMode.class),
                                Arbitraries.longs())
                        .as(PngEncoderProperties::image);
        return Arbitraries.frequencyOf(Tuple.of(3, flat), Tuple.of(1, noisy));
    }

    @Property(tries = 600)
    void scanlinesAreTheSpecsFiltersOfTheStraightSamples(
            @ForAll("images") RgbaImage image, @ForAll FilterStrategy strategy) throws Exception {
        byte[] png;
        try (PngEncoder encoder = new PngEncoder(strategy, 1)) {
            png = encoder.encode(image);
        }
        assertScanlines(image, strategy, PngScanlines.scanlines(png));
    }

    @Property(tries = 200)
    void presetsFilterAsTheReferenceDoes(@ForAll("images") RgbaImage image) throws Exception {
        for (PngCompression c :
                new PngCompression[] {PngCompression.FAST, PngCompression.DEFAULT}) {
            try (PngEncoder encoder = new PngEncoder(c)) {
                assertScanlines(
                        image,
                        FilterStrategy.SAMPLED,
                        PngScanlines.scanlines(encoder.encode(image)));
            }
        }
    }

    /** The word-at-a-time byte arithmetic, byte by byte, on words with every kind of byte. */
    @Property(tries = 2000)
    void wordArithmeticIsBytewise(@ForAll("words") long x, @ForAll("words") long y) {
        long diff = 0;
        long mean = 0;
        long nonZero = 0;
        long sumAbs = 0;
        for (int k = 0; k < 8; k++) {
            int xb = (int) (x >>> (8 * k)) & 0xFF;
            int yb = (int) (y >>> (8 * k)) & 0xFF;
            diff |= (long) ((xb - yb) & 0xFF) << (8 * k);
            mean |= (long) ((xb + yb) >>> 1) << (8 * k);
            nonZero |= (long) (xb != 0 ? 0x80 : 0) << (8 * k);
            sumAbs += Math.abs((byte) xb);
        }
        assertThat(PngEncoder.subBytes(x, y)).isEqualTo(diff);
        assertThat(PngEncoder.averageBytes(x, y)).isEqualTo(mean);
        assertThat(PngEncoder.nonZeroBytes(x)).isEqualTo(nonZero);
        assertThat(PngEncoder.sumAbs(x)).isEqualTo(sumAbs);
    }

    /** Words whose bytes are often 0, 0x7F, 0x80, 0xFF or equal to each other. */
    @Provide
    Arbitrary<Long> words() {
        Arbitrary<Integer> b =
                Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.integers().between(0, 255)),
                        Tuple.of(1, Arbitraries.of(0, 1, 0x7F, 0x80, 0x81, 0xFE, 0xFF)));
        return b.list()
                .ofSize(8)
                .map(
                        bytes -> {
                            long w = 0;
                            for (int k = 0; k < 8; k++) {
                                w |= (long) bytes.get(k) << (8 * k);
                            }
                            return w;
                        });
    }

    /**
     * The bytes of each preset and of zlib level 6 for two fixed images, pinned: the encoder's
     * output is part of every token's lineage, so a change here must come with a new {@link
     * PngEncoder#VERSION} (and these hashes updated with it).
     */
    @Example
    void outputIsPinnedForThisVersion() throws Exception {
        assertThat(PngEncoder.VERSION).isEqualTo(4);
        RgbaImage flat = flatArt(301, 67, false, 7);
        RgbaImage noisy =
                PngEncoderProperties.image(173, 59, PngEncoderProperties.AlphaMode.OPAQUE, 7);
        StringBuilder got = new StringBuilder();
        for (String setting : new String[] {"fast", "default", "max", "6"}) {
            try (PngEncoder encoder = new PngEncoder(PngCompression.fromSpecName(setting))) {
                got.append(setting)
                        .append(' ')
                        .append(sha256(encoder.encode(flat)))
                        .append(' ')
                        .append(sha256(encoder.encode(noisy)))
                        .append('\n');
            }
        }
        assertThat(got.toString())
                .isEqualTo(
                        "fast f2971acb6e88 e203ee315234\n"
                                + "default 8ef413bccb5b b3e53c5fa1fe\n"
                                + "max e0c61292e05a d3e0a00cc5af\n"
                                + "6 a3795b9a14d7 f688d384dddc\n");
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b), 0, 6);
    }

    /** Checks every scanline of {@code scan} against the reference for {@code strategy}. */
    private static void assertScanlines(RgbaImage image, FilterStrategy strategy, byte[] scan) {
        boolean opaque = image.isOpaque();
        int bpp = opaque ? 3 : 4;
        int len = image.width() * bpp;
        assertThat(scan).hasSize((len + 1) * image.height());
        byte[] up = new byte[len];
        int sampled = -1;
        for (int y = 0; y < image.height(); y++) {
            byte[] cur = straightRow(image, y, opaque);
            int type = scan[y * (len + 1)];
            int expected =
                    switch (strategy) {
                        case NONE -> 0;
                        case SUB -> 1;
                        case UP -> 2;
                        case AVERAGE -> 3;
                        case PAETH -> 4;
                        case ADAPTIVE -> adaptive(cur, up, bpp);
                        case SAMPLED -> {
                            if (y % PngEncoder.SAMPLE_EVERY == 0) {
                                sampled = adaptive(cur, up, bpp);
                            }
                            yield sampled;
                        }
                    };
            assertThat(type).as("row %d's filter type", y).isEqualTo(expected);
            byte[] want = filter(type, cur, up, bpp);
            for (int i = 0; i < len; i++) {
                int at = i;
                int row = y;
                assertThat(scan[y * (len + 1) + 1 + i])
                        .as(() -> "row " + row + " byte " + at + " (filter " + type + ")")
                        .isEqualTo(want[i]);
            }
            up = cur;
        }
    }

    private static byte[] straightRow(RgbaImage image, int y, boolean opaque) {
        int w = image.width();
        byte[] px = image.pixels();
        int bpp = opaque ? 3 : 4;
        byte[] row = new byte[w * bpp];
        for (int x = 0; x < w; x++) {
            int s = (y * w + x) * 4;
            int a = px[s + 3] & 0xFF;
            for (int c = 0; c < 3; c++) {
                row[x * bpp + c] =
                        (byte) Math.min(255, PixelMath.unpremultiply(px[s + c] & 0xFF, a));
            }
            if (!opaque) {
                row[x * bpp + 3] = (byte) a;
            }
        }
        return row;
    }

    /** Filter {@code type} of a row, byte by byte as the spec writes it. */
    static byte[] filter(int type, byte[] cur, byte[] up, int bpp) {
        byte[] out = new byte[cur.length];
        for (int i = 0; i < cur.length; i++) {
            int x = cur[i] & 0xFF;
            int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
            int b = up[i] & 0xFF;
            int c = i >= bpp ? up[i - bpp] & 0xFF : 0;
            int predicted =
                    switch (type) {
                        case 0 -> 0;
                        case 1 -> a;
                        case 2 -> b;
                        case 3 -> (a + b) / 2;
                        default -> paeth(a, b, c);
                    };
            out[i] = (byte) (x - predicted);
        }
        return out;
    }

    /** The spec's Paeth predictor, as written there. */
    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    /** The type with the smallest sum of |filtered byte| read as signed; ties to the lower. */
    private static int adaptive(byte[] cur, byte[] up, int bpp) {
        int best = 0;
        long bestSum = Long.MAX_VALUE;
        for (int type = 0; type <= 4; type++) {
            long sum = 0;
            for (byte v : filter(type, cur, up, bpp)) {
                sum += Math.abs(v);
            }
            if (sum < bestSum) {
                bestSum = sum;
                best = type;
            }
        }
        return best;
    }
}
