package io.serigraph.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The committed fixtures: tiny model-store entries ({@code src/test/resources/models}, written by
 * {@code scripts/export_clip.py --tiny} and {@code scripts/export_aesthetic.py --tiny}) and the
 * reference data of {@code scripts/make_references.py} ({@code src/test/resources/reference}).
 */
public final class Fixtures {
    public static final Path MODELS = Path.of("src/test/resources/models");
    public static final Path REFERENCE = Path.of("src/test/resources/reference");
    public static final String CLIP_FAMILY = "clip-tiny";
    public static final String VERSION = "1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    public static JsonNode json(String name) throws IOException {
        return JSON.readTree(REFERENCE.resolve(name).toFile());
    }

    public static RgbaImage image(String name) throws IOException {
        return new PngDecoder().decode(REFERENCE.resolve(name));
    }

    /** A gzip-compressed little-endian float32 tensor. */
    public static float[] tensor(String name) throws IOException {
        byte[] bytes;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(REFERENCE.resolve(name)))) {
            bytes = in.readAllBytes();
        }
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    public static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    /** The largest absolute difference between two equally long arrays. */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
