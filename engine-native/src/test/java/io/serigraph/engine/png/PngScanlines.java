package io.serigraph.engine.png;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Reads the filter type byte of every scanline of a PNG file, for tests of filtering. */
final class PngScanlines {
    private static final int[] X0 = {0, 4, 0, 2, 0, 1, 0};
    private static final int[] Y0 = {0, 0, 4, 0, 2, 0, 1};
    private static final int[] DX = {8, 8, 4, 4, 2, 2, 1};
    private static final int[] DY = {8, 8, 8, 4, 4, 2, 2};

    private PngScanlines() {}

    /** The filter type of each scanline, in stream order. */
    static List<Integer> filterTypePerRow(byte[] png) throws Exception {
        PngInfo info = new PngDecoder(Long.MAX_VALUE).readInfo(png);
        byte[] raw = scanlines(png);
        int channels =
                switch (info.colorType()) {
                    case PngInfo.RGB -> 3;
                    case PngInfo.GREY_ALPHA -> 2;
                    case PngInfo.RGBA -> 4;
                    default -> 1;
                };
        int bits = channels * info.bitDepth();
        List<Integer> types = new ArrayList<>();
        int pos = 0;
        for (int pass = 0; pass < (info.interlaced() ? 7 : 1); pass++) {
            int x0 = info.interlaced() ? X0[pass] : 0;
            int y0 = info.interlaced() ? Y0[pass] : 0;
            int dx = info.interlaced() ? DX[pass] : 1;
            int dy = info.interlaced() ? DY[pass] : 1;
            int pw = info.width() <= x0 ? 0 : (info.width() - x0 + dx - 1) / dx;
            int ph = info.height() <= y0 ? 0 : (info.height() - y0 + dy - 1) / dy;
            if (pw == 0 || ph == 0) {
                continue;
            }
            int rowBytes = (pw * bits + 7) / 8;
            for (int r = 0; r < ph; r++) {
                types.add(raw[pos] & 0xFF);
                pos += 1 + rowBytes;
            }
        }
        if (pos != raw.length) {
            throw new AssertionError("scanlines hold " + pos + " bytes, inflated " + raw.length);
        }
        return types;
    }

    /** The IDAT chunks' data inflated: every scanline's filter type byte and filtered bytes. */
    static byte[] scanlines(byte[] png) throws DataFormatException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        for (PngTestFiles.Chunk c : PngTestFiles.chunks(png)) {
            if (c.type().equals("IDAT")) {
                z.write(png, c.dataOffset(), c.length());
            }
        }
        return inflate(z.toByteArray());
    }

    static Set<Integer> filterTypes(byte[] png) throws Exception {
        return new HashSet<>(filterTypePerRow(png));
    }

    private static byte[] inflate(byte[] z) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(z);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("incomplete zlib stream");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
