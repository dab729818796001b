package io.serigraph.engine.png;

import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The pixel stage of {@link PngDecoder}: inflates the IDAT data one scanline at a time into two
 * reused buffers, undoes the filters and writes premultiplied RGBA8 into the output image. It
 * inflates exactly the number of bytes the header calls for, then one more to detect excess data.
 * Single use.
 */
final class ImageDataDecoder {
    private static final int[] X0 = {0, 4, 0, 2, 0, 1, 0};
    private static final int[] Y0 = {0, 0, 4, 0, 2, 0, 1};
    private static final int[] DX = {8, 8, 4, 4, 2, 2, 1};
    private static final int[] DY = {8, 8, 8, 4, 4, 2, 2};

    private final byte[] data;
    private final PngInfo info;
    private final AlphaMode alphaMode;
    private final PngDecoder.ChunkLayout layout;
    private final int width;
    private final int height;
    private final int depth;
    private final int colorType;
    private final int bitsPerPixel;

    /** Bytes per complete pixel for the filters (at least 1). */
    private final int filterStride;

    /**
     * 0xRRGGBBAA (in the output's alpha mode) per sample value, for palette images and for
     * greyscale of up to 8 bits; {@code null} otherwise.
     */
    private final int[] lut;

    /** Number of valid {@link #lut} entries: the palette size, or 2^depth for grey. */
    private final int lutSize;

    /** tRNS colour key at full sample precision (grey uses {@code keyR}); -1 when absent. */
    private final int keyR;

    private final int keyG;
    private final int keyB;

    private final long expectedBytes;
    private final Inflater inflater = new Inflater();
    private int nextIdat;
    private int currentIdatOffset;

    /** The output, RGBA8 in {@link #alphaMode}. */
    private byte[] out;

    ImageDataDecoder(
            byte[] data, PngInfo info, PngDecoder.ChunkLayout layout, AlphaMode alphaMode) {
        this.data = data;
        this.info = info;
        this.alphaMode = alphaMode;
        this.layout = layout;
        this.width = info.width();
        this.height = info.height();
        this.depth = info.bitDepth();
        this.colorType = info.colorType();
        int channels =
                switch (colorType) {
                    case PngInfo.RGB -> 3;
                    case PngInfo.GREY_ALPHA -> 2;
                    case PngInfo.RGBA -> 4;
                    default -> 1;
                };
        this.bitsPerPixel = channels * depth;
        this.filterStride = Math.max(1, bitsPerPixel / 8);
        byte[] trns = layout.transparency;
        if (trns != null && colorType == PngInfo.GREY) {
            keyR = u16(trns, 0);
            keyG = -1;
            keyB = -1;
        } else if (trns != null && colorType == PngInfo.RGB) {
            keyR = u16(trns, 0);
            keyG = u16(trns, 2);
            keyB = u16(trns, 4);
        } else {
            keyR = -1;
            keyG = -1;
            keyB = -1;
        }
        if (colorType == PngInfo.PALETTE) {
            byte[] plte = layout.palette;
            lutSize = plte.length / 3;
            lut = new int[256];
            for (int i = 0; i < lutSize; i++) {
                int a = trns != null && i < trns.length ? trns[i] & 0xFF : 255;
                lut[i] =
                        pack(plte[3 * i] & 0xFF, plte[3 * i + 1] & 0xFF, plte[3 * i + 2] & 0xFF, a);
            }
        } else if (colorType == PngInfo.GREY && depth <= 8) {
            int max = (1 << depth) - 1;
            lutSize = max + 1;
            lut = new int[256];
            for (int v = 0; v <= max; v++) {
                int g = v * 255 / max;
                lut[v] = pack(g, g, g, v == keyR ? 0 : 255);
            }
        } else {
            lut = null;
            lutSize = 0;
        }
        long total = 0;
        for (int pass = 0; pass < (info.interlaced() ? 7 : 1); pass++) {
            long pw = passWidth(pass);
            long ph = passHeight(pass);
            if (pw > 0 && ph > 0) {
                total += ph * (1 + rowBytes(pw));
            }
        }
        this.expectedBytes = total;
    }

    RgbaImage decode() throws PngFormatException {
        try {
            out = new byte[width * height * 4];
            int maxRow = (int) rowBytes(width);
            byte[] cur = new byte[maxRow + 1];
            byte[] prev = new byte[maxRow + 1];
            feedNextIdat();
            int passes = info.interlaced() ? 7 : 1;
            for (int pass = 0; pass < passes; pass++) {
                int pw = passWidth(pass);
                int ph = passHeight(pass);
                if (pw == 0 || ph == 0) {
                    continue;
                }
                int len = (int) rowBytes(pw);
                Arrays.fill(prev, 0, len + 1, (byte) 0);
                for (int row = 0; row < ph; row++) {
                    fill(cur, len + 1, pass, row);
                    unfilter(cur, prev, len, pass, row);
                    convert(cur, pw, pass, row);
                    byte[] t = prev;
                    prev = cur;
                    cur = t;
                }
            }
            finish();
            return new RgbaImage(width, height, out, alphaMode);
        } finally {
            inflater.end();
        }
    }

    private int passWidth(int pass) {
        if (!info.interlaced()) {
            return width;
        }
        return width <= X0[pass] ? 0 : (width - X0[pass] + DX[pass] - 1) / DX[pass];
    }

    private int passHeight(int pass) {
        if (!info.interlaced()) {
            return height;
        }
        return height <= Y0[pass] ? 0 : (height - Y0[pass] + DY[pass] - 1) / DY[pass];
    }

    private long rowBytes(long pixels) {
        return (pixels * bitsPerPixel + 7) / 8;
    }

    /** Hands the next IDAT chunk's data to the inflater; false when there is none left. */
    private boolean feedNextIdat() {
        if (nextIdat == layout.idatCount) {
            return false;
        }
        currentIdatOffset = layout.idatOffsets[nextIdat] - 8;
        inflater.setInput(data, layout.idatOffsets[nextIdat], layout.idatLengths[nextIdat]);
        nextIdat++;
        return true;
    }

    /** Inflates exactly {@code len} bytes into {@code buf}. */
    private void fill(byte[] buf, int len, int pass, int row) throws PngFormatException {
        int off = 0;
        while (off < len) {
            int n;
            try {
                n = inflater.inflate(buf, off, len - off);
            } catch (DataFormatException e) {
                throw new PngFormatException(
                        "corrupt PNG: zlib stream corrupt in the IDAT chunk at byte offset "
                                + currentIdatOffset
                                + " while decoding "
                                + where(pass, row)
                                + ": "
                                + e.getMessage(),
                        e);
            }
            off += n;
            if (n == 0) {
                if (inflater.finished()) {
                    throw new PngFormatException(
                            "corrupt PNG: too little image data: the zlib stream ends after "
                                    + inflater.getBytesWritten()
                                    + " of the "
                                    + expectedBytes
                                    + " bytes a "
                                    + describe()
                                    + " image needs, in "
                                    + where(pass, row));
                }
                if (inflater.needsDictionary()) {
                    throw new PngFormatException(
                            "corrupt PNG: zlib stream corrupt in the IDAT chunk at byte offset "
                                    + currentIdatOffset
                                    + ": it asks for a preset dictionary, which PNG does not"
                                    + " allow");
                }
                if (inflater.needsInput() && !feedNextIdat()) {
                    throw new PngFormatException(
                            "corrupt PNG: too little image data: the IDAT data ends after "
                                    + inflater.getBytesWritten()
                                    + " of the "
                                    + expectedBytes
                                    + " decompressed bytes a "
                                    + describe()
                                    + " image needs, in "
                                    + where(pass, row));
                }
            }
        }
    }

    /**
     * After the last scanline: the zlib stream must end, with no more decompressed bytes and no
     * compressed bytes after it.
     */
    private void finish() throws PngFormatException {
        byte[] one = new byte[1];
        while (!inflater.finished()) {
            int n;
            try {
                n = inflater.inflate(one, 0, 1);
            } catch (DataFormatException e) {
                throw new PngFormatException(
                        "corrupt PNG: zlib stream corrupt in the IDAT chunk at byte offset "
                                + currentIdatOffset
                                + " after the last row: "
                                + e.getMessage(),
                        e);
            }
            if (n > 0) {
                throw new PngFormatException(
                        "corrupt PNG: too much image data: the zlib stream holds more than the "
                                + expectedBytes
                                + " bytes a "
                                + describe()
                                + " image needs");
            }
            if (inflater.finished()) {
                break;
            }
            if (inflater.needsDictionary()) {
                throw new PngFormatException(
                        "corrupt PNG: zlib stream corrupt in the IDAT chunk at byte offset "
                                + currentIdatOffset
                                + ": it asks for a preset dictionary, which PNG does not allow");
            }
            if (inflater.needsInput() && !feedNextIdat()) {
                throw new PngFormatException(
                        "corrupt PNG: the zlib stream in the IDAT data is truncated: all "
                                + expectedBytes
                                + " bytes of image data were read but the stream has no end"
                                + " marker and checksum");
            }
        }
        long trailing = inflater.getRemaining();
        for (int i = nextIdat; i < layout.idatCount; i++) {
            trailing += layout.idatLengths[i];
        }
        if (trailing > 0) {
            throw new PngFormatException(
                    "corrupt PNG: too much image data: "
                            + trailing
                            + " bytes of IDAT data follow the end of the zlib stream (in the IDAT"
                            + " chunk at byte offset "
                            + currentIdatOffset
                            + ")");
        }
    }

    /** Undoes the filter of the scanline in {@code cur[1..len]} (filter type in {@code cur[0]}). */
    private void unfilter(byte[] cur, byte[] prev, int len, int pass, int row)
            throws PngFormatException {
        int bpp = filterStride;
        int type = cur[0] & 0xFF;
        switch (type) {
            case 0 -> {}
            case 1 -> {
                for (int i = 1 + bpp; i <= len; i++) {
                    cur[i] += cur[i - bpp];
                }
            }
            case 2 -> {
                for (int i = 1; i <= len; i++) {
                    cur[i] += prev[i];
                }
            }
            case 3 -> {
                int head = Math.min(len, bpp);
                for (int i = 1; i <= head; i++) {
                    cur[i] += (prev[i] & 0xFF) >>> 1;
                }
                for (int i = 1 + bpp; i <= len; i++) {
                    cur[i] += ((cur[i - bpp] & 0xFF) + (prev[i] & 0xFF)) >>> 1;
                }
            }
            case 4 -> {
                int head = Math.min(len, bpp);
                for (int i = 1; i <= head; i++) {
                    cur[i] += prev[i];
                }
                for (int i = 1 + bpp; i <= len; i++) {
                    int a = cur[i - bpp] & 0xFF;
                    int b = prev[i] & 0xFF;
                    int c = prev[i - bpp] & 0xFF;
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    int predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
                    cur[i] += predictor;
                }
            }
            default ->
                    throw new PngFormatException(
                            "corrupt PNG: invalid filter type "
                                    + type
                                    + " in "
                                    + where(pass, row)
                                    + " (must be 0 to 4)");
        }
    }

    /** Converts the unfiltered scanline in {@code row[1..]} of {@code n} pixels into the output. */
    private void convert(byte[] row, int n, int pass, int rowIndex) throws PngFormatException {
        int x0 = info.interlaced() ? X0[pass] : 0;
        int dx = info.interlaced() ? DX[pass] : 1;
        int y = info.interlaced() ? Y0[pass] + rowIndex * DY[pass] : rowIndex;
        int o = (y * width + x0) * 4;
        int step = dx * 4;
        if (lut != null) {
            if (depth == 8) {
                for (int i = 0; i < n; i++, o += step) {
                    int v = row[1 + i] & 0xFF;
                    if (v >= lutSize) {
                        throw paletteError(v, x0 + i * dx, pass, rowIndex);
                    }
                    put(lut[v], o);
                }
            } else {
                int mask = (1 << depth) - 1;
                for (int i = 0; i < n; i++, o += step) {
                    int bit = i * depth;
                    int v = (row[1 + (bit >>> 3)] >> (8 - depth - (bit & 7))) & mask;
                    if (v >= lutSize) {
                        throw paletteError(v, x0 + i * dx, pass, rowIndex);
                    }
                    put(lut[v], o);
                }
            }
            return;
        }
        switch (colorType) {
            case PngInfo.GREY -> {
                // 16-bit only: lower depths use the lookup table.
                for (int i = 0, s = 1; i < n; i++, o += step, s += 2) {
                    int v = u16(row, s);
                    int g = to8(v);
                    storeStraight(o, g, g, g, v == keyR ? 0 : 255);
                }
            }
            case PngInfo.RGB -> {
                if (depth == 8) {
                    for (int i = 0, s = 1; i < n; i++, o += step, s += 3) {
                        int r = row[s] & 0xFF;
                        int g = row[s + 1] & 0xFF;
                        int b = row[s + 2] & 0xFF;
                        boolean key = r == keyR && g == keyG && b == keyB;
                        storeStraight(o, r, g, b, key ? 0 : 255);
                    }
                } else {
                    for (int i = 0, s = 1; i < n; i++, o += step, s += 6) {
                        int r = u16(row, s);
                        int g = u16(row, s + 2);
                        int b = u16(row, s + 4);
                        boolean key = r == keyR && g == keyG && b == keyB;
                        storeStraight(o, to8(r), to8(g), to8(b), key ? 0 : 255);
                    }
                }
            }
            case PngInfo.GREY_ALPHA -> {
                if (depth == 8) {
                    for (int i = 0, s = 1; i < n; i++, o += step, s += 2) {
                        int g = row[s] & 0xFF;
                        storeStraight(o, g, g, g, row[s + 1] & 0xFF);
                    }
                } else {
                    for (int i = 0, s = 1; i < n; i++, o += step, s += 4) {
                        int g = to8(u16(row, s));
                        storeStraight(o, g, g, g, to8(u16(row, s + 2)));
                    }
                }
            }
            default -> {
                if (depth == 8) {
                    for (int i = 0, s = 1; i < n; i++, o += step, s += 4) {
                        storeStraight(
                                o,
                                row[s] & 0xFF,
                                row[s + 1] & 0xFF,
                                row[s + 2] & 0xFF,
                                row[s + 3] & 0xFF);
                    }
                } else {
                    for (int i = 0, s = 1; i < n; i++, o += step, s += 8) {
                        storeStraight(
                                o,
                                to8(u16(row, s)),
                                to8(u16(row, s + 2)),
                                to8(u16(row, s + 4)),
                                to8(u16(row, s + 6)));
                    }
                }
            }
        }
    }

    /** Only palettes can be short: a grey table covers every sample value. */
    private PngFormatException paletteError(int index, int x, int pass, int row) {
        return new PngFormatException(
                "corrupt PNG: palette index "
                        + index
                        + " out of range at pixel x="
                        + x
                        + " in "
                        + where(pass, row)
                        + ": PLTE has "
                        + lutSize
                        + " entries");
    }

    /** Stores straight 8-bit channels, premultiplied unless the output is straight. */
    private void storeStraight(int o, int r, int g, int b, int a) {
        byte[] px = out;
        if (a == 255 || alphaMode == AlphaMode.STRAIGHT) {
            px[o] = (byte) r;
            px[o + 1] = (byte) g;
            px[o + 2] = (byte) b;
            px[o + 3] = (byte) a;
        } else if (a == 0) {
            px[o] = 0;
            px[o + 1] = 0;
            px[o + 2] = 0;
            px[o + 3] = 0;
        } else {
            px[o] = (byte) PixelMath.premultiply(r, a);
            px[o + 1] = (byte) PixelMath.premultiply(g, a);
            px[o + 2] = (byte) PixelMath.premultiply(b, a);
            px[o + 3] = (byte) a;
        }
    }

    private void put(int rgba, int o) {
        out[o] = (byte) (rgba >>> 24);
        out[o + 1] = (byte) (rgba >>> 16);
        out[o + 2] = (byte) (rgba >>> 8);
        out[o + 3] = (byte) rgba;
    }

    /**
     * Straight 8-bit channels to packed 0xRRGGBBAA, premultiplied unless the output is straight.
     */
    private int pack(int r, int g, int b, int a) {
        if (alphaMode == AlphaMode.STRAIGHT) {
            return r << 24 | g << 16 | b << 8 | a;
        }
        return PixelMath.premultiply(r, a) << 24
                | PixelMath.premultiply(g, a) << 16
                | PixelMath.premultiply(b, a) << 8
                | a;
    }

    /** A 16-bit sample to 8 bits, rounded to nearest: {@code (v * 255 + 32767) / 65535}. */
    static int to8(int v) {
        return (v * 255 + 32767) / 65535;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private String where(int pass, int row) {
        if (!info.interlaced()) {
            return "row " + row;
        }
        return "row "
                + row
                + " of Adam7 pass "
                + (pass + 1)
                + " (image row "
                + (Y0[pass] + row * DY[pass])
                + ")";
    }

    private String describe() {
        return width
                + "x"
                + height
                + " colour type "
                + colorType
                + " bit depth "
                + depth
                + (info.interlaced() ? " interlaced" : "");
    }
}
