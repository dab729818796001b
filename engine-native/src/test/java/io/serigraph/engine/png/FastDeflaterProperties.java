package io.serigraph.engine.png;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link FastDeflater} against zlib's inflater ({@link Inflater}): every stream it writes is a
 * valid zlib stream that inflates to the input, whatever the input's shape and the settings.
 */
class FastDeflaterProperties {
    /** Shapes of input that exercise different parts of the compressor. */
    enum Shape {
        RANDOM,
        CONSTANT,
        RUNS,
        PERIODIC,
        /** Long copies of earlier material, some more than 32 KiB back. */
        FAR_COPIES,
        /** Small residuals, as filtered noisy art. */
        SMALL_VALUES
    }

    static byte[] data(Shape shape, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[size];
        switch (shape) {
            case RANDOM -> {
                for (int i = 0; i < size; i++) {
                    b[i] = (byte) r.nextInt(256);
                }
            }
            case CONSTANT -> Arrays.fill(b, (byte) r.nextInt(256));
            case RUNS -> {
                int i = 0;
                while (i < size) {
                    int run = 1 + r.nextInt(r.nextBoolean() ? 8 : 600);
                    byte v = (byte) r.nextInt(4);
                    for (int k = 0; k < run && i < size; k++) {
                        b[i++] = v;
                    }
                }
            }
            case PERIODIC -> {
                int period = 1 + r.nextInt(r.nextBoolean() ? 16 : 40_000);
                for (int i = 0; i < size; i++) {
                    b[i] = i < period ? (byte) r.nextInt(256) : b[i - period];
                }
            }
            case FAR_COPIES -> {
                int i = 0;
                while (i < size) {
                    if (i > 1000 && r.nextInt(3) > 0) {
                        int dist = 1 + r.nextInt(Math.min(i, 40_000));
                        int len = 3 + r.nextInt(r.nextBoolean() ? 20 : 700);
                        for (int k = 0; k < len && i < size; k++, i++) {
                            b[i] = b[i - dist];
                        }
                    } else {
                        int len = 1 + r.nextInt(300);
                        for (int k = 0; k < len && i < size; k++) {
                            b[i++] = (byte) r.nextInt(256);
                        }
                    }
                }
            }
            case SMALL_VALUES -> {
                for (int i = 0; i < size; i++) {
                    b[i] = (byte) (r.nextInt(9) - 4);
                }
            }
        }
        return b;
    }

    @Provide
    Arbitrary<Integer> sizes() {
        // Empty, one byte, small, around the minimum match and stored block sizes, and large.
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0, 1, 2, 3, 4, 5, 7, 8, 9)),
                net.jqwik.api.Tuple.of(
                        2, Arbitraries.of(1023, 1024, 1025, 32767, 32768, 32769, 65535, 65536)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 5000)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(5000, 300_000)));
    }

    @Provide
    Arbitrary<FastDeflater> deflaters() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 8),
                        Arbitraries.integers().between(4, 258),
                        Arbitraries.integers().between(0, 300),
                        Arbitraries.of(1024, 1500, 4096, 1 << 15),
                        Arbitraries.integers().between(0, 31))
                .as(FastDeflater::new);
    }

    static byte[] inflate(byte[] z, int zlen, int expected) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(z, 0, zlen);
            byte[] out = new byte[expected + 1];
            int n = 0;
            while (!inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                n += got;
                if (got == 0 && (inflater.needsInput() || n == out.length)) {
                    break;
                }
            }
            assertThat(inflater.finished()).as("stream complete").isTrue();
            assertThat(inflater.getRemaining()).as("bytes after the stream").isZero();
            return Arrays.copyOf(out, n);
        } finally {
            inflater.end();
        }
    }

    /** Compresses {@code data} in {@code pieces} calls and returns the zlib stream. */
    static byte[] compress(FastDeflater d, byte[] data, int pieces) {
        d.reset();
        int per = pieces <= 1 ? data.length : Math.max(1, data.length / pieces);
        int at = 0;
        do {
            int n = Math.min(per, data.length - at);
            boolean last = at + n == data.length;
            d.deflate(data, at, n, last);
            at += n;
            if (last) {
                break;
            }
        } while (true);
        return Arrays.copyOf(d.output(), d.outputLength());
    }

    /** The Huffman builder's heap sort orders keys as {@link Arrays#sort} does. */
    @Property(tries = 300)
    void heapSortSorts(@ForAll("keys") long[] keys) {
        long[] expected = keys.clone();
        Arrays.sort(expected);
        long[] got = Arrays.copyOf(keys, keys.length + 3);
        got[keys.length] = Long.MIN_VALUE; // beyond n: must stay where it is
        FastDeflater.heapSort(got, keys.length);
        assertThat(Arrays.copyOf(got, keys.length)).isEqualTo(expected);
        assertThat(got[keys.length]).isEqualTo(Long.MIN_VALUE);
    }

    @Provide
    Arbitrary<long[]> keys() {
        return Arbitraries.longs()
                .array(long[].class)
                .ofMaxSize(300)
                .injectDuplicates(0.3)
                .edgeCases(e -> e.add(new long[0]));
    }

    @Property(tries = 400)
    void inflatingTheOutputGivesBackTheInput(
            @ForAll Shape shape,
            @ForAll("sizes") int size,
            @ForAll long seed,
            @ForAll("deflaters") FastDeflater deflater,
            @ForAll @IntRange(min = 1, max = 4) int pieces)
            throws Exception {
        byte[] data = data(shape, size, seed);
        byte[] z = compress(deflater, data, pieces);
        assertThat(inflate(z, z.length, data.length)).isEqualTo(data);
        Adler32 adler = new Adler32();
        adler.update(data);
        int trailer =
                (z[z.length - 4] & 0xFF) << 24
                        | (z[z.length - 3] & 0xFF) << 16
                        | (z[z.length - 2] & 0xFF) << 8
                        | (z[z.length - 1] & 0xFF);
        assertThat(trailer).as("Adler-32").isEqualTo((int) adler.getValue());
        // Never much larger than stored: zlib framing, and per block at most a stored header.
        int per = pieces <= 1 ? data.length : Math.max(1, data.length / pieces);
        long calls = per == 0 ? 1 : (data.length + per - 1) / per;
        long blocks = calls + data.length / 1024 + 1;
        assertThat((long) z.length).isLessThanOrEqualTo(data.length + 6 + 6 * blocks);
    }

    /** Same input, same bytes: a reused deflater, a fresh one, and deflaters on other threads. */
    @Property(tries = 60)
    void outputIsDeterministic(@ForAll Shape shape, @ForAll("sizes") int size, @ForAll long seed)
            throws Exception {
        byte[] data = data(shape, size, seed);
        FastDeflater reused = new FastDeflater(4, 64, 16, 1 << 15, 1);
        compress(reused, data(Shape.RANDOM, 70_000, seed + 1), 1);
        byte[] first = compress(reused, data, 1);
        assertThat(compress(reused, data, 1)).isEqualTo(first);
        assertThat(compress(new FastDeflater(4, 64, 16, 1 << 15, 1), data, 1)).isEqualTo(first);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<byte[]>> futures =
                    pool.invokeAll(
                            List.of(
                                    () ->
                                            compress(
                                                    new FastDeflater(4, 64, 16, 1 << 15, 1),
                                                    data,
                                                    1),
                                    () ->
                                            compress(
                                                    new FastDeflater(4, 64, 16, 1 << 15, 1),
                                                    data,
                                                    1),
                                    () ->
                                            compress(
                                                    new FastDeflater(4, 64, 16, 1 << 15, 1),
                                                    data,
                                                    1)));
            for (Future<byte[]> f : futures) {
                assertThat(f.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Matches whose four codes need more bits than the 64-bit buffer had room for (15-bit length
     * and distance codes, in large blocks of skewed statistics): found by the property above
     * (shrunk sample), which once came out with a wrong Adler-32 ("incorrect data check").
     */
    @Example
    void longCodesForAWholeMatchDoNotOverflowTheBitBuffer() throws Exception {
        byte[] data = data(Shape.FAR_COPIES, 74024, 2);
        for (int pieces = 1; pieces <= 4; pieces++) {
            byte[] z = compress(new FastDeflater(1, 4, 0, 1 << 15, 31), data, pieces);
            assertThat(inflate(z, z.length, data.length)).as("%d pieces", pieces).isEqualTo(data);
        }
    }

    @Example
    void compressesRunsAndRepeatsAndStoresNoise() throws Exception {
        FastDeflater d = new FastDeflater(4, 64, 16, 1 << 15, 1);
        byte[] zeros = new byte[1 << 20];
        assertThat(compress(d, zeros, 1).length).isLessThan(zeros.length / 200);
        byte[] periodic = data(Shape.PERIODIC, 1 << 18, 5);
        assertThat(compress(d, periodic, 1).length).isLessThan(periodic.length / 4);
        byte[] noise = data(Shape.RANDOM, 200_000, 9);
        byte[] z = compress(d, noise, 1);
        // Incompressible input goes out stored: 5 bytes per block of 32768 symbols, plus framing.
        assertThat(z.length).isLessThanOrEqualTo(noise.length + 7 * 5 + 2 + 4 + 1);
        assertThat(inflate(z, z.length, noise.length)).isEqualTo(noise);
    }

    /** A matched distance of exactly 32768 and matches of exactly 258 bytes are emitted right. */
    @Example
    void windowAndMatchLengthLimits() throws Exception {
        byte[] block = data(Shape.RANDOM, 32768, 21);
        byte[] data = new byte[32768 * 3 + 1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = block[i % 32768];
        }
        FastDeflater d = new FastDeflater(8, 258, 300, 1 << 15, 1);
        byte[] z = compress(d, data, 1);
        assertThat(inflate(z, z.length, data.length)).isEqualTo(data);
        assertThat(z.length).isLessThan(32768 + 2000);
    }

    @Example
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new FastDeflater(0, 64, 16, 1 << 15, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chainDepth");
        assertThatThrownBy(() -> new FastDeflater(1, 259, 16, 1 << 15, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("niceLength");
        assertThatThrownBy(() -> new FastDeflater(1, 64, 16, 100, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockSymbols");
        assertThatThrownBy(() -> new FastDeflater(1, 64, 16, 1 << 15, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("skipShift");
        FastDeflater d = new FastDeflater(1, 64, 16, 1 << 15, 1);
        d.reset();
        assertThatThrownBy(() -> d.deflate(new byte[4], 2, 3, true))
                .isInstanceOf(IndexOutOfBoundsException.class);
        d.deflate(new byte[4], 0, 4, true);
        assertThatThrownBy(() -> d.deflate(new byte[4], 0, 4, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reset()");
    }
}
