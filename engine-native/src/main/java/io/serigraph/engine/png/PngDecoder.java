package io.serigraph.engine.png;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Decodes PNG files (ISO/IEC 15948) into RGBA8 images, premultiplied by default or straight on
 * request ({@link #decode(byte[], AlphaMode)}). Strict: a bad signature, a bad CRC, a truncated
 * stream, an invalid header field or a size over the pixel budget is a {@link PngFormatException}
 * naming the problem, raised before any pixel memory is allocated.
 *
 * <p>Every colour type and bit depth of the PNG specification is accepted, with or without Adam7
 * interlacing, including {@code tRNS} transparency (palette alpha, grey and RGB colour keys
 * compared at full sample precision). Samples are converted to 8 bits exactly: 16-bit {@code v}
 * becomes {@code (v * 255 + 32767) / 65535}, a 1-, 2- or 4-bit sample becomes {@code v * 255 / (2^d
 * - 1)} (that is {@code v * 255}, {@code v * 85} or {@code v * 17}); the straight result is then
 * premultiplied with {@link io.serigraph.engine.composite.PixelMath#premultiply}, unless {@link
 * AlphaMode#STRAIGHT} is asked for: then it is returned as it is (alpha-0 pixels keep their stored
 * colour). Gamma, chromaticity and colour-profile chunks ({@code gAMA}, {@code cHRM}, {@code sRGB},
 * {@code iCCP}, ...) are ignored: the output is the stored samples. Bytes after the {@code IEND}
 * chunk are ignored.
 *
 * <p>A decoder holds no mutable state: one instance may be shared by many threads.
 */
public final class PngDecoder {
    /** Default pixel budget: 64 megapixels (an 8192 x 8192 canvas). */
    public static final long DEFAULT_MAX_PIXELS = 64L * 1024 * 1024;

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** The largest Java array this decoder will allocate. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Byte offset of the first chunk after IHDR. */
    private static final int AFTER_IHDR = 8 + 12 + 13;

    private final long maxPixels;

    /** A decoder with the default pixel budget. */
    public PngDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A decoder that refuses images of more than {@code maxPixels} pixels. */
    public PngDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Reads and validates the signature and IHDR chunk only: cheap, for checking a file's size and
     * format without decoding it. Refuses an image over the pixel budget, or too large for one
     * {@link RgbaImage}.
     */
    public PngInfo readInfo(byte[] data) throws PngFormatException {
        if (data.length < SIGNATURE.length) {
            throw new PngFormatException(
                    "not a PNG file: " + data.length + " bytes, shorter than the PNG signature");
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (data[i] != SIGNATURE[i]) {
                throw new PngFormatException("not a PNG file: the PNG signature is missing");
            }
        }
        int at = SIGNATURE.length;
        if (data.length < at + 8 + 13 + 4) {
            throw new PngFormatException("truncated PNG: the file ends inside the IHDR chunk");
        }
        int length = readInt(data, at);
        if (length != 13 || !isType(data, at + 4, "IHDR")) {
            throw new PngFormatException(
                    "corrupt PNG: the first chunk must be IHDR of 13 bytes (byte offset "
                            + at
                            + ")");
        }
        checkCrc(data, at, length, "IHDR");
        int p = at + 8;
        long width = readInt(data, p) & 0xFFFFFFFFL;
        long height = readInt(data, p + 4) & 0xFFFFFFFFL;
        int bitDepth = data[p + 8] & 0xFF;
        int colorType = data[p + 9] & 0xFF;
        int compression = data[p + 10] & 0xFF;
        int filter = data[p + 11] & 0xFF;
        int interlace = data[p + 12] & 0xFF;
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new PngFormatException(
                    "corrupt PNG: invalid image size " + width + "x" + height + " in IHDR");
        }
        if (!validDepth(colorType, bitDepth)) {
            throw new PngFormatException(
                    "corrupt PNG: bit depth "
                            + bitDepth
                            + " is not allowed for colour type "
                            + colorType
                            + " in IHDR");
        }
        if (compression != 0 || filter != 0 || interlace > 1) {
            throw new PngFormatException(
                    "corrupt PNG: unknown compression ("
                            + compression
                            + "), filter ("
                            + filter
                            + ") or interlace ("
                            + interlace
                            + ") method in IHDR");
        }
        if (width * height > maxPixels) {
            throw new PngFormatException(
                    "PNG too large: "
                            + width
                            + "x"
                            + height
                            + " is over the pixel budget of "
                            + maxPixels
                            + " pixels");
        }
        // One byte per filter type plus up to 8 bytes per pixel (RGBA16) in a scanline buffer.
        if (width * height * 4 > MAX_ARRAY || width * 8 + 1 > MAX_ARRAY) {
            throw new PngFormatException(
                    "PNG too large: " + width + "x" + height + " does not fit in one RGBA image");
        }
        return new PngInfo((int) width, (int) height, bitDepth, colorType, interlace == 1);
    }

    /**
     * Decodes a whole PNG stream into a premultiplied RGBA8 image.
     *
     * <p>All chunks are checked (CRC, order, lengths) before pixel memory is allocated; the image
     * data is then inflated straight into reused scanline buffers, never more than the exact number
     * of bytes the header calls for (plus one byte to detect excess), so a zlib bomb cannot make it
     * allocate more.
     *
     * @throws PngFormatException for any malformed, truncated or over-budget input; no other
     *     exception escapes for bad data
     */
    public RgbaImage decode(byte[] data) throws PngFormatException {
        return decode(data, AlphaMode.PREMULTIPLIED);
    }

    /**
     * Decodes a whole PNG stream into an RGBA8 image in {@code mode}: {@link
     * AlphaMode#PREMULTIPLIED} as {@link #decode(byte[])} does, or {@link AlphaMode#STRAIGHT}, the
     * stored samples (converted to 8 bits) without premultiplying, so nothing is rounded away.
     *
     * @throws PngFormatException for any malformed, truncated or over-budget input
     */
    public RgbaImage decode(byte[] data, AlphaMode mode) throws PngFormatException {
        Objects.requireNonNull(mode, "mode");
        PngInfo info = readInfo(data);
        ChunkLayout layout = readChunks(data, info);
        return new ImageDataDecoder(data, info, layout, mode).decode();
    }

    /**
     * Reads and decodes a PNG file. Format errors are a {@link PngFormatException} whose message
     * starts with the file's path; failures to read the file are plain {@link IOException}s.
     */
    public RgbaImage decode(Path file) throws IOException {
        return decode(file, AlphaMode.PREMULTIPLIED);
    }

    /**
     * Reads and decodes a PNG file into {@code mode}, as {@link #decode(byte[], AlphaMode)}; errors
     * as {@link #decode(Path)}.
     */
    public RgbaImage decode(Path file, AlphaMode mode) throws IOException {
        Objects.requireNonNull(mode, "mode");
        long size = Files.size(file);
        if (size > MAX_ARRAY) {
            throw new PngFormatException(
                    file + ": PNG too large: the file has " + size + " bytes, over " + MAX_ARRAY);
        }
        byte[] data = Files.readAllBytes(file);
        try {
            return decode(data, mode);
        } catch (PngFormatException e) {
            throw new PngFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** What the chunk pass found: palette, transparency and where the image data lies. */
    static final class ChunkLayout {
        /** PLTE entries as R, G, B bytes; {@code null} when absent. */
        byte[] palette;

        /** tRNS contents; {@code null} when absent. */
        byte[] transparency;

        /** Offsets of the data of each IDAT chunk, in file order. */
        int[] idatOffsets = new int[8];

        int[] idatLengths = new int[8];
        int idatCount;

        void addIdat(int offset, int length) {
            if (idatCount == idatOffsets.length) {
                idatOffsets = Arrays.copyOf(idatOffsets, idatCount * 2);
                idatLengths = Arrays.copyOf(idatLengths, idatCount * 2);
            }
            idatOffsets[idatCount] = offset;
            idatLengths[idatCount] = length;
            idatCount++;
        }
    }

    /** Walks every chunk after IHDR up to IEND, checking CRCs, lengths and ordering. */
    private static ChunkLayout readChunks(byte[] data, PngInfo info) throws PngFormatException {
        ChunkLayout layout = new ChunkLayout();
        int colorType = info.colorType();
        int pos = AFTER_IHDR;
        String previous = "IHDR";
        boolean idatEnded = false;
        int plteOffset = -1;
        int trnsOffset = -1;
        while (true) {
            if (pos == data.length) {
                throw new PngFormatException(
                        "truncated PNG: no IEND chunk; the file ends at byte offset "
                                + pos
                                + " after a "
                                + previous
                                + " chunk");
            }
            if (data.length - pos < 12) {
                throw new PngFormatException(
                        "truncated PNG: the file ends inside a chunk header at byte offset "
                                + pos
                                + " ("
                                + (data.length - pos)
                                + " bytes left, a chunk needs at least 12)");
            }
            long declared = readInt(data, pos) & 0xFFFFFFFFL;
            if (declared > Integer.MAX_VALUE) {
                throw new PngFormatException(
                        "corrupt PNG: chunk length "
                                + declared
                                + " at byte offset "
                                + pos
                                + " is over the limit of 2^31-1");
            }
            int length = (int) declared;
            String type = chunkType(data, pos);
            if (length > data.length - pos - 12) {
                throw new PngFormatException(
                        "truncated PNG: chunk "
                                + type
                                + " at byte offset "
                                + pos
                                + " declares "
                                + length
                                + " data bytes but the file ends "
                                + Math.max(0, data.length - pos - 8)
                                + " bytes after its header");
            }
            checkCrc(data, pos, length, type);
            int body = pos + 8;
            boolean isIdat = false;
            switch (type) {
                case "IHDR" ->
                        throw new PngFormatException(
                                "corrupt PNG: duplicate IHDR chunk at byte offset " + pos);
                case "PLTE" -> {
                    if (plteOffset >= 0) {
                        throw new PngFormatException(
                                "corrupt PNG: duplicate PLTE chunk at byte offset "
                                        + pos
                                        + " (the first is at byte offset "
                                        + plteOffset
                                        + ")");
                    }
                    if (colorType == PngInfo.GREY || colorType == PngInfo.GREY_ALPHA) {
                        throw new PngFormatException(
                                "corrupt PNG: a PLTE chunk is not allowed in a greyscale image"
                                        + " (colour type "
                                        + colorType
                                        + ", PLTE at byte offset "
                                        + pos
                                        + ")");
                    }
                    if (layout.idatCount > 0) {
                        throw new PngFormatException(
                                "corrupt PNG: PLTE chunk after IDAT at byte offset " + pos);
                    }
                    if (trnsOffset >= 0) {
                        throw new PngFormatException(
                                "corrupt PNG: PLTE chunk at byte offset "
                                        + pos
                                        + " comes after tRNS; tRNS must follow PLTE");
                    }
                    int entries = length / 3;
                    if (length % 3 != 0 || entries == 0 || entries > 256) {
                        throw new PngFormatException(
                                "corrupt PNG: PLTE length "
                                        + length
                                        + " at byte offset "
                                        + pos
                                        + " is not a multiple of 3 between 3 and 768");
                    }
                    if (colorType == PngInfo.PALETTE && entries > 1 << info.bitDepth()) {
                        throw new PngFormatException(
                                "corrupt PNG: PLTE at byte offset "
                                        + pos
                                        + " has "
                                        + entries
                                        + " entries; bit depth "
                                        + info.bitDepth()
                                        + " allows at most "
                                        + (1 << info.bitDepth()));
                    }
                    plteOffset = pos;
                    layout.palette = Arrays.copyOfRange(data, body, body + length);
                }
                case "tRNS" -> {
                    if (trnsOffset >= 0) {
                        throw new PngFormatException(
                                "corrupt PNG: duplicate tRNS chunk at byte offset " + pos);
                    }
                    if (layout.idatCount > 0) {
                        throw new PngFormatException(
                                "corrupt PNG: tRNS chunk after IDAT at byte offset " + pos);
                    }
                    checkTransparency(colorType, length, pos, layout.palette);
                    trnsOffset = pos;
                    layout.transparency = Arrays.copyOfRange(data, body, body + length);
                }
                case "IDAT" -> {
                    if (idatEnded) {
                        throw new PngFormatException(
                                "corrupt PNG: IDAT chunks are not consecutive: the IDAT at byte"
                                        + " offset "
                                        + pos
                                        + " follows a "
                                        + previous
                                        + " chunk after earlier IDAT data");
                    }
                    if (layout.idatCount == 0
                            && colorType == PngInfo.PALETTE
                            && layout.palette == null) {
                        throw new PngFormatException(
                                "corrupt PNG: the PLTE chunk is missing: a palette image (colour"
                                        + " type 3) needs one before the first IDAT (byte offset "
                                        + pos
                                        + ")");
                    }
                    layout.addIdat(body, length);
                    isIdat = true;
                }
                case "IEND" -> {
                    if (length != 0) {
                        throw new PngFormatException(
                                "corrupt PNG: IEND chunk length must be 0, was "
                                        + length
                                        + " at byte offset "
                                        + pos);
                    }
                    if (layout.idatCount == 0) {
                        throw new PngFormatException(
                                "corrupt PNG: no IDAT chunk before IEND (byte offset "
                                        + pos
                                        + "): the file holds no image data");
                    }
                    // Anything after IEND is not part of the PNG stream and is ignored.
                    return layout;
                }
                default -> {
                    if ((data[pos + 4] & 0x20) == 0) {
                        throw new PngFormatException(
                                "corrupt PNG: unknown critical chunk "
                                        + type
                                        + " at byte offset "
                                        + pos);
                    }
                }
            }
            if (layout.idatCount > 0 && !isIdat) {
                idatEnded = true;
            }
            previous = type;
            pos = body + length + 4;
        }
    }

    private static void checkTransparency(int colorType, int length, int pos, byte[] palette)
            throws PngFormatException {
        switch (colorType) {
            case PngInfo.PALETTE -> {
                if (palette == null) {
                    throw new PngFormatException(
                            "corrupt PNG: tRNS chunk at byte offset "
                                    + pos
                                    + " comes before PLTE; tRNS must follow PLTE");
                }
                int entries = palette.length / 3;
                if (length > entries) {
                    throw new PngFormatException(
                            "corrupt PNG: tRNS at byte offset "
                                    + pos
                                    + " has "
                                    + length
                                    + " entries, more than the "
                                    + entries
                                    + " PLTE entries");
                }
            }
            case PngInfo.GREY, PngInfo.RGB -> {
                int expected = colorType == PngInfo.GREY ? 2 : 6;
                if (length != expected) {
                    throw new PngFormatException(
                            "corrupt PNG: tRNS length "
                                    + length
                                    + " at byte offset "
                                    + pos
                                    + " is wrong for colour type "
                                    + colorType
                                    + " (must be "
                                    + expected
                                    + ")");
                }
            }
            default ->
                    throw new PngFormatException(
                            "corrupt PNG: a tRNS chunk is not allowed for colour type "
                                    + colorType
                                    + ", which has an alpha channel (byte offset "
                                    + pos
                                    + ")");
        }
    }

    /** The chunk type at {@code pos}, refusing bytes that are not ASCII letters. */
    private static String chunkType(byte[] data, int pos) throws PngFormatException {
        for (int i = 0; i < 4; i++) {
            int c = data[pos + 4 + i] & 0xFF;
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (!letter) {
                throw new PngFormatException(
                        String.format(
                                "corrupt PNG: invalid chunk type %02X %02X %02X %02X at byte offset"
                                        + " %d (chunk types are four ASCII letters)",
                                data[pos + 4] & 0xFF,
                                data[pos + 5] & 0xFF,
                                data[pos + 6] & 0xFF,
                                data[pos + 7] & 0xFF,
                                pos));
            }
        }
        return new String(data, pos + 4, 4, StandardCharsets.US_ASCII);
    }

    private static boolean validDepth(int colorType, int bitDepth) {
        return switch (colorType) {
            case PngInfo.GREY ->
                    bitDepth == 1
                            || bitDepth == 2
                            || bitDepth == 4
                            || bitDepth == 8
                            || bitDepth == 16;
            case PngInfo.PALETTE ->
                    bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case PngInfo.RGB, PngInfo.GREY_ALPHA, PngInfo.RGBA -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
    }

    static int readInt(byte[] data, int at) {
        return (data[at] & 0xFF) << 24
                | (data[at + 1] & 0xFF) << 16
                | (data[at + 2] & 0xFF) << 8
                | (data[at + 3] & 0xFF);
    }

    static boolean isType(byte[] data, int at, String type) {
        for (int i = 0; i < 4; i++) {
            if (data[at + i] != type.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Checks the CRC of the chunk whose length field starts at {@code at}. */
    static void checkCrc(byte[] data, int at, int length, String type) throws PngFormatException {
        CRC32 crc = new CRC32();
        crc.update(data, at + 4, 4 + length);
        int stored = readInt(data, at + 8 + length);
        if ((int) crc.getValue() != stored) {
            throw new PngFormatException(
                    "corrupt PNG: bad CRC in chunk " + type + " at byte offset " + at);
        }
    }
}
