package io.serigraph.engine.png;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.RgbaImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes premultiplied RGBA8 images as PNG: 8-bit RGB (colour type 2) when every pixel is opaque,
 * 8-bit RGBA (colour type 6) otherwise, never interlaced. Colours are un-premultiplied with {@link
 * PixelMath#unpremultiply}, so decoding the output with {@link PngDecoder} gives back the same
 * bytes. The file holds only IHDR, IDAT and IEND chunks: the same image and settings always give
 * the same bytes. Settings are a {@link PngCompression} (the presets {@code fast} and {@code
 * default} deflate with the pure-Java {@link FastDeflater} after {@link FilterStrategy#SAMPLED}
 * filtering; {@code max} and the zlib levels use {@link Deflater}), or a filter strategy and zlib
 * level. A channel above its alpha (not valid premultiplied data) un-premultiplies to more than 255
 * and is clamped to 255.
 *
 * <p>Filters work eight bytes at a time where they can (SWAR byte arithmetic on {@code long}s), and
 * Paeth takes the shortcut of the predictor's two degenerate cases (left equal to upper-left: the
 * byte above; above equal to upper-left: the byte to the left) for a word where every byte has one
 * of them, which flat art almost always does; the bytes are the spec's in every case.
 *
 * <p>An encoder keeps its scanline buffers, output buffer and {@link Deflater} between calls, so
 * encoding many images allocates almost nothing. It is <b>not thread-safe</b>: use one per thread,
 * and close it to release the deflater's native memory.
 */
public final class PngEncoder implements AutoCloseable {
    /** How each scanline is filtered before compression (PNG spec, clause 9). */
    public enum FilterStrategy {
        /** Filter type 0 on every row. */
        NONE,
        /** Filter type 1 on every row. */
        SUB,
        /** Filter type 2 on every row. */
        UP,
        /** Filter type 3 on every row. */
        AVERAGE,
        /** Filter type 4 on every row. */
        PAETH,
        /**
         * Per row, the filter whose output has the smallest sum of absolute values (bytes read as
         * signed), as libpng does; ties go to the lower filter type.
         */
        ADAPTIVE,
        /**
         * {@link #ADAPTIVE}'s choice made on every {@value PngEncoder#SAMPLE_EVERY}th row (the
         * first of each group) and kept for the rows after it: almost its size for a fraction of
         * its cost, since neighbouring rows of an image want the same filter.
         */
        SAMPLED
    }

    /** Rows per {@link FilterStrategy#SAMPLED} choice. */
    static final int SAMPLE_EVERY = 16;

    /**
     * Version of the encoder's output: the same image and settings always give the same bytes for
     * one version. Part of every token's lineage; bump it on any change of output. 3: the {@code
     * fast}, {@code default} and {@code max} presets, and {@code default} for specs without a
     * {@code compression} (which meant level 6 before). 4: {@code fast} and {@code default} hash
     * only the last 8 positions inside each match ({@link FastDeflater}'s {@code insertLimit}),
     * which made flat art's deflate ~1.7x faster for ~0.3% more bytes.
     */
    public static final int VERSION = 4;

    /** zlib level used by {@link #PngEncoder()}. */
    public static final int DEFAULT_LEVEL = 6;

    /** Largest IDAT payload written; also the deflate output buffer size. */
    private static final int IDAT_SIZE = 1 << 16;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The top bit of each byte of a word. */
    private static final long HIGH = 0x8080808080808080L;

    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long EVEN_BYTES = 0x00FF00FF00FF00FFL;

    private static final byte[] IHDR = {'I', 'H', 'D', 'R'};
    private static final byte[] IDAT = {'I', 'D', 'A', 'T'};
    private static final byte[] IEND = {'I', 'E', 'N', 'D'};

    private final FilterStrategy strategy;
    private final PngCompression compression;
    private final int level;

    /** zlib, for the levels; {@code null} for the presets that use {@link #fast}. */
    private final Deflater deflater;

    private final FastDeflater fast;
    private int sampledType;
    private final CRC32 crc = new CRC32();
    private final byte[] chunkHeader = new byte[8];
    private final byte[] ihdr = new byte[13];
    private final byte[] zbuf = new byte[IDAT_SIZE];
    private int zlen;

    /** Straight samples of the current and previous row. */
    private byte[] raw = new byte[0];

    private byte[] prevRaw = new byte[0];

    /** Filtered scanlines (type byte + bytes) of the image, or of one band of rows. */
    private byte[] scan = new byte[0];

    /** Largest filtered buffer kept: larger images are deflated in bands of rows. */
    private static final long MAX_SCAN_BYTES = 16L << 20;

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(1 << 16);
    private boolean closed;

    /** An encoder with {@link FilterStrategy#ADAPTIVE} filtering and zlib level 6. */
    public PngEncoder() {
        this(FilterStrategy.ADAPTIVE, DEFAULT_LEVEL);
    }

    /** An encoder for a compression setting: a preset, or a zlib level with the adaptive filter. */
    public PngEncoder(PngCompression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
        this.strategy = compression.filterStrategy();
        this.level = compression.zlibLevel();
        if (compression.usesFastDeflater()) {
            this.deflater = null;
            this.fast = compression.newFastDeflater();
        } else {
            this.deflater = new Deflater(level);
            this.fast = null;
        }
    }

    /**
     * An encoder with the given filter strategy and zlib level (0 = stored, no compression, to 9 =
     * smallest).
     */
    public PngEncoder(FilterStrategy strategy, int level) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("zlib level must be 0 to 9, was " + level);
        }
        this.level = level;
        this.compression = null;
        this.deflater = new Deflater(level);
        this.fast = null;
    }

    public FilterStrategy filterStrategy() {
        return strategy;
    }

    /** The zlib level, or -1 for a preset that deflates with {@link FastDeflater}. */
    public int level() {
        return level;
    }

    /**
     * The compression setting this encoder was made for, or {@code null} when it was made from a
     * filter strategy and level.
     */
    public PngCompression compression() {
        return compression;
    }

    /**
     * Encodes {@code image} and returns the PNG file's bytes.
     *
     * @throws IllegalArgumentException when {@code image} is not premultiplied
     */
    public byte[] encode(RgbaImage image) {
        sink.reset();
        try {
            encode(image, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return sink.toByteArray();
    }

    /**
     * Writes {@code image} as a PNG file to {@code out}, in chunks of at most 64 KiB; does not
     * close or flush {@code out}.
     *
     * @throws IllegalArgumentException when {@code image} is not premultiplied
     */
    public void encode(RgbaImage image, OutputStream out) throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(out, "out");
        if (closed) {
            throw new IllegalStateException("this PngEncoder is closed");
        }
        if (!image.isPremultiplied()) {
            throw new IllegalArgumentException(
                    "the image is "
                            + image.alphaMode()
                            + "; PngEncoder takes premultiplied images only");
        }
        int width = image.width();
        int height = image.height();
        boolean opaque = image.isOpaque();
        int channels = opaque ? 3 : 4;
        int rowBytes = width * channels;
        ensureCapacity(rowBytes);

        out.write(PngDecoder.SIGNATURE);
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = (byte) (opaque ? PngInfo.RGB : PngInfo.RGBA);
        writeChunk(out, IHDR, ihdr, 0, ihdr.length);

        if (fast != null) {
            fast.reset();
        } else {
            deflater.reset();
        }
        zlen = 0;
        Arrays.fill(prevRaw, 0, rowBytes, (byte) 0);
        int stride = rowBytes + 1;
        long scanBytes = (long) stride * height;
        // One filtered copy of the whole image, deflated in one call: a JNI round trip per row
        // costs more than the bytes. Images too large for one array are fed in row bands.
        int bandRows = (int) Math.max(1, Math.min(height, MAX_SCAN_BYTES / stride));
        ensureScan(Math.min(scanBytes, (long) bandRows * stride));
        byte[] pixels = image.pixels();
        for (int y0 = 0; y0 < height; y0 += bandRows) {
            int rows = Math.min(bandRows, height - y0);
            for (int r = 0; r < rows; r++) {
                int y = y0 + r;
                straightRow(pixels, y * width * 4, width, opaque);
                filterRow(scan, r * stride, rowBytes, channels, y);
                byte[] t = prevRaw;
                prevRaw = raw;
                raw = t;
            }
            if (fast != null) {
                fast.deflate(scan, 0, rows * stride, y0 + rows >= height);
                continue;
            }
            deflater.setInput(scan, 0, rows * stride);
            while (!deflater.needsInput()) {
                drain(out);
            }
        }
        if (fast != null) {
            byte[] z = fast.output();
            int n = fast.outputLength();
            for (int at = 0; at < n; at += IDAT_SIZE) {
                writeChunk(out, IDAT, z, at, Math.min(IDAT_SIZE, n - at));
            }
        } else {
            deflater.finish();
            while (!deflater.finished()) {
                drain(out);
            }
            if (zlen > 0) {
                writeChunk(out, IDAT, zbuf, 0, zlen);
                zlen = 0;
            }
        }
        writeChunk(out, IEND, zbuf, 0, 0);
    }

    /** Releases the deflater's native memory; the encoder cannot be used afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (deflater != null) {
                deflater.end();
            }
        }
    }

    private void ensureCapacity(int rowBytes) {
        if (raw.length < rowBytes) {
            raw = new byte[rowBytes];
            prevRaw = new byte[rowBytes];
        }
    }

    private void ensureScan(long bytes) {
        if (scan.length < bytes) {
            scan = new byte[(int) bytes];
        }
    }

    /** Un-premultiplies one row of {@code width} pixels from {@code at} into {@link #raw}. */
    private void straightRow(byte[] px, int at, int width, boolean opaque) {
        byte[] dst = raw;
        if (opaque) {
            // Four pixels (two words) at a time: each word's two RGBA pixels lose their alpha
            // bytes, and the twelve RGB bytes go out as a long and an int.
            int i = 0;
            for (; i + 4 <= width; i += 4) {
                long p01 = (long) LONG_LE.get(px, at + (i << 2));
                long p23 = (long) LONG_LE.get(px, at + (i << 2) + 8);
                long rgb01 = (p01 & 0xFFFFFFL) | ((p01 >>> 8) & 0xFFFFFF000000L);
                long rgb23 = (p23 & 0xFFFFFFL) | ((p23 >>> 8) & 0xFFFFFF000000L);
                LONG_LE.set(dst, i * 3, rgb01 | rgb23 << 48);
                INT_LE.set(dst, i * 3 + 8, (int) (rgb23 >>> 16));
            }
            for (; i < width; i++) {
                int s = at + (i << 2);
                int d = i * 3;
                dst[d] = px[s];
                dst[d + 1] = px[s + 1];
                dst[d + 2] = px[s + 2];
            }
            return;
        }
        for (int i = 0, s = at; i < width; i++, s += 4) {
            int a = px[s + 3] & 0xFF;
            if (a == 255) {
                dst[s - at] = px[s];
                dst[s - at + 1] = px[s + 1];
                dst[s - at + 2] = px[s + 2];
            } else {
                // Clamped so that an invalid premultiplied channel (above alpha) cannot wrap.
                dst[s - at] = (byte) Math.min(255, PixelMath.unpremultiply(px[s] & 0xFF, a));
                dst[s - at + 1] =
                        (byte) Math.min(255, PixelMath.unpremultiply(px[s + 1] & 0xFF, a));
                dst[s - at + 2] =
                        (byte) Math.min(255, PixelMath.unpremultiply(px[s + 2] & 0xFF, a));
            }
            dst[s - at + 3] = (byte) a;
        }
    }

    /**
     * Filters {@link #raw} against {@link #prevRaw} into {@code dst} at {@code at}: the filter type
     * byte, then {@code len} filtered bytes.
     */
    private void filterRow(byte[] dst, int at, int len, int bpp, int row) {
        int type =
                switch (strategy) {
                    case NONE -> 0;
                    case SUB -> 1;
                    case UP -> 2;
                    case AVERAGE -> 3;
                    case PAETH -> 4;
                    case ADAPTIVE -> adaptiveType(len, bpp);
                    case SAMPLED -> {
                        if (row % SAMPLE_EVERY == 0) {
                            sampledType = adaptiveType(len, bpp);
                        }
                        yield sampledType;
                    }
                };
        dst[at] = (byte) type;
        filter(type, dst, at + 1, len, bpp);
    }

    /**
     * The filter type whose output has the smallest sum of absolute values (bytes read as signed),
     * ties to the lower type, computed for all five types in one pass without writing any of them.
     */
    private int adaptiveType(int len, int bpp) {
        byte[] cur = raw;
        byte[] up = prevRaw;
        long none = 0;
        long sub = 0;
        long upSum = 0;
        long avg = 0;
        long paeth = 0;
        int head = Math.min(bpp, len);
        for (int i = 0; i < head; i++) {
            int x = cur[i];
            int b = up[i] & 0xFF;
            int absX = Math.abs(x);
            none += absX;
            sub += absX;
            upSum += Math.abs((byte) (x - b));
            avg += Math.abs((byte) (x - (b >>> 1)));
            paeth += Math.abs((byte) (x - b));
        }
        int i = bpp;
        for (; i + 8 <= len; i += 8) {
            long x = (long) LONG_LE.get(cur, i);
            long a = (long) LONG_LE.get(cur, i - bpp);
            long b = (long) LONG_LE.get(up, i);
            none += sumAbs(x);
            sub += sumAbs(subBytes(x, a));
            upSum += sumAbs(subBytes(x, b));
            avg += sumAbs(subBytes(x, averageBytes(a, b)));
            paeth += sumAbs(paethWord(cur, up, i, bpp));
        }
        for (; i < len; i++) {
            int x = cur[i];
            int a = cur[i - bpp] & 0xFF;
            int b = up[i] & 0xFF;
            int c = up[i - bpp] & 0xFF;
            none += Math.abs(x);
            sub += Math.abs((byte) (x - a));
            upSum += Math.abs((byte) (x - b));
            avg += Math.abs((byte) (x - ((a + b) >>> 1)));
            paeth += Math.abs((byte) (x - paethPredictor(a, b, c)));
        }
        int best = 0;
        long bestSum = none;
        if (sub < bestSum) {
            bestSum = sub;
            best = 1;
        }
        if (upSum < bestSum) {
            bestSum = upSum;
            best = 2;
        }
        if (avg < bestSum) {
            bestSum = avg;
            best = 3;
        }
        if (paeth < bestSum) {
            best = 4;
        }
        return best;
    }

    /** {@code x - y} in each of the eight bytes, modulo 256 (Hacker's Delight, 2-18). */
    static long subBytes(long x, long y) {
        return ((x | HIGH) - (y & ~HIGH)) ^ ((x ^ ~y) & HIGH);
    }

    /** {@code (x + y) >>> 1} in each of the eight bytes, unsigned. */
    static long averageBytes(long x, long y) {
        return (x & y) + (((x ^ y) >>> 1) & LOW7);
    }

    /** {@code 0x80} in each byte of {@code v} that is not zero, {@code 0} in the others. */
    static long nonZeroBytes(long v) {
        return (((v & LOW7) + LOW7) | v) & HIGH;
    }

    /** The sum over the eight bytes of {@code v}, each read as signed, of its absolute value. */
    static long sumAbs(long v) {
        if (v == 0) {
            return 0;
        }
        long negative = ((v & HIGH) >>> 7) * 0xFF;
        long abs = subBytes(v ^ negative, negative);
        long pairs = (abs & EVEN_BYTES) + ((abs >>> 8) & EVEN_BYTES);
        return (pairs * 0x0001000100010001L) >>> 48;
    }

    /**
     * The Paeth filter of {@code cur[i, i+8)} ({@code i >= bpp}) as one little-endian word. Where
     * the left byte equals the upper-left one the predictor is the byte above, and where the byte
     * above does it is the left byte; a word where every byte is one of these cases is filtered at
     * once, any other byte by byte.
     */
    static long paethWord(byte[] cur, byte[] up, int i, int bpp) {
        long a = (long) LONG_LE.get(cur, i - bpp);
        long b = (long) LONG_LE.get(up, i);
        long c = (long) LONG_LE.get(up, i - bpp);
        long x = (long) LONG_LE.get(cur, i);
        // Whole-word cases first: a row repeating the one above (left = upper-left everywhere)
        // and a run under a run (above = upper-left everywhere), most of flat art.
        if (a == c) {
            return subBytes(x, b);
        }
        if (b == c) {
            return subBytes(x, a);
        }
        long leftDiffers = nonZeroBytes(a ^ c);
        if ((leftDiffers & nonZeroBytes(b ^ c)) == 0) {
            long useLeft = (leftDiffers >>> 7) * 0xFF;
            return subBytes(x, (a & useLeft) | (b & ~useLeft));
        }
        long word = 0;
        for (int k = 7; k >= 0; k--) {
            int j = i + k;
            int p = paethPredictor(cur[j - bpp] & 0xFF, up[j] & 0xFF, up[j - bpp] & 0xFF);
            word = word << 8 | ((cur[j] - p) & 0xFF);
        }
        return word;
    }

    /**
     * The Paeth predictor (PNG spec, 9.4), with p - a, p - b and p - c written as b - c, a - c and
     * a + b - 2c, and the choice as two selects the JIT can make branch-free; ties as the spec
     * breaks them (a, then b, then c).
     */
    private static int paethPredictor(int a, int b, int c) {
        int pa = Math.abs(b - c);
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - c - c);
        int best = pb < pa ? b : a;
        int bestP = Math.min(pa, pb);
        return pc < bestP ? c : best;
    }

    /** Writes filter {@code type} of the current row into {@code dst} from {@code at}. */
    private void filter(int type, byte[] dst, int at, int len, int bpp) {
        byte[] cur = raw;
        byte[] up = prevRaw;
        int head = Math.min(bpp, len);
        if (type == 0) {
            System.arraycopy(cur, 0, dst, at, len);
            return;
        }
        // The first pixel has no left neighbour (nor upper-left): Sub copies it, Up and Paeth
        // subtract the byte above, Average half of it.
        for (int i = 0; i < head; i++) {
            int b = up[i] & 0xFF;
            dst[at + i] = (byte) (cur[i] - (type == 1 ? 0 : type == 3 ? b >>> 1 : b));
        }
        int i = type == 2 ? 0 : head;
        switch (type) {
            case 1 -> {
                for (; i + 8 <= len; i += 8) {
                    long x = (long) LONG_LE.get(cur, i);
                    LONG_LE.set(dst, at + i, subBytes(x, (long) LONG_LE.get(cur, i - bpp)));
                }
                for (; i < len; i++) {
                    dst[at + i] = (byte) (cur[i] - cur[i - bpp]);
                }
            }
            case 2 -> {
                for (; i + 8 <= len; i += 8) {
                    long x = (long) LONG_LE.get(cur, i);
                    LONG_LE.set(dst, at + i, subBytes(x, (long) LONG_LE.get(up, i)));
                }
                for (; i < len; i++) {
                    dst[at + i] = (byte) (cur[i] - up[i]);
                }
            }
            case 3 -> {
                for (; i + 8 <= len; i += 8) {
                    long x = (long) LONG_LE.get(cur, i);
                    long a = (long) LONG_LE.get(cur, i - bpp);
                    long b = (long) LONG_LE.get(up, i);
                    LONG_LE.set(dst, at + i, subBytes(x, averageBytes(a, b)));
                }
                for (; i < len; i++) {
                    dst[at + i] =
                            (byte) (cur[i] - (((cur[i - bpp] & 0xFF) + (up[i] & 0xFF)) >>> 1));
                }
            }
            default -> {
                for (; i + 8 <= len; i += 8) {
                    LONG_LE.set(dst, at + i, paethWord(cur, up, i, bpp));
                }
                for (; i < len; i++) {
                    dst[at + i] =
                            (byte)
                                    (cur[i]
                                            - paethPredictor(
                                                    cur[i - bpp] & 0xFF,
                                                    up[i] & 0xFF,
                                                    up[i - bpp] & 0xFF));
                }
            }
        }
    }

    /** Runs the deflater once into {@link #zbuf}, writing an IDAT chunk whenever it is full. */
    private void drain(OutputStream out) throws IOException {
        zlen += deflater.deflate(zbuf, zlen, zbuf.length - zlen);
        if (zlen == zbuf.length) {
            writeChunk(out, IDAT, zbuf, 0, zlen);
            zlen = 0;
        }
    }

    private void writeChunk(OutputStream out, byte[] type, byte[] body, int off, int len)
            throws IOException {
        putInt(chunkHeader, 0, len);
        System.arraycopy(type, 0, chunkHeader, 4, 4);
        out.write(chunkHeader, 0, 8);
        out.write(body, off, len);
        crc.reset();
        crc.update(type);
        crc.update(body, off, len);
        putInt(chunkHeader, 0, (int) crc.getValue());
        out.write(chunkHeader, 0, 4);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
