package io.serigraph.engine.png;

import java.util.zip.CRC32;

/**
 * Decodes PNG files (ISO/IEC 15948) into premultiplied RGBA8 images. Strict: a bad signature, a bad
 * CRC, a truncated stream, an invalid header field or a size over the pixel budget is a {@link
 * PngFormatException} naming the problem, raised before any pixel memory is allocated.
 */
public final class PngDecoder {
    /** Default pixel budget: 64 megapixels (an 8192 x 8192 canvas). */
    public static final long DEFAULT_MAX_PIXELS = 64L * 1024 * 1024;

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

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
     * format without decoding it.
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
        return new PngInfo((int) width, (int) height, bitDepth, colorType, interlace == 1);
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
