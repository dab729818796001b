package io.serigraph.engine.png;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** Test fixtures on the classpath and small helpers to take PNG files apart. */
final class PngTestFiles {
    private PngTestFiles() {}

    /** The bytes of a classpath resource such as {@code /png/conformance/g1-flat-1x1.png}. */
    static byte[] resource(String path) {
        try (InputStream in = PngTestFiles.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    /** Non-blank lines of a resource that do not start with {@code #}. */
    static List<String> lines(String path) {
        List<String> out = new ArrayList<>();
        for (String line : text(path).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /** One chunk of a PNG file: where it starts (its length field) and its data length. */
    record Chunk(String type, int offset, int length) {
        int dataOffset() {
            return offset + 8;
        }

        int end() {
            return offset + 12 + length;
        }
    }

    /** The chunks of a well-formed PNG file, in order. */
    static List<Chunk> chunks(byte[] png) {
        List<Chunk> out = new ArrayList<>();
        int pos = 8;
        while (pos + 12 <= png.length) {
            int length = PngDecoder.readInt(png, pos);
            String type = new String(png, pos + 4, 4, StandardCharsets.US_ASCII);
            out.add(new Chunk(type, pos, length));
            pos += 12 + length;
            if (type.equals("IEND")) {
                break;
            }
        }
        return out;
    }

    /** Recomputes and stores the CRC of {@code chunk} in {@code png}. */
    static void fixCrc(byte[] png, Chunk chunk) {
        CRC32 crc = new CRC32();
        crc.update(png, chunk.offset() + 4, 4 + chunk.length());
        int v = (int) crc.getValue();
        int at = chunk.offset() + 8 + chunk.length();
        png[at] = (byte) (v >>> 24);
        png[at + 1] = (byte) (v >>> 16);
        png[at + 2] = (byte) (v >>> 8);
        png[at + 3] = (byte) v;
    }

    /** A complete chunk with its CRC. */
    static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        out[0] = (byte) (data.length >>> 24);
        out[1] = (byte) (data.length >>> 16);
        out[2] = (byte) (data.length >>> 8);
        out[3] = (byte) data.length;
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        fixCrc(out, new Chunk(type, 0, data.length));
        return out;
    }
}
