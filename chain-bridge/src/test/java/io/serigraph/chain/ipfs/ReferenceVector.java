package io.serigraph.chain.ipfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row of ipfs-car-vectors.tsv: what ipfs-car 3.1.0 produced for a fixture. */
record ReferenceVector(String name, String root, String carSha256, long carBytes, long blocks) {
    private static final String RESOURCE = "ipfs-car-vectors.tsv";

    /** Every vector, by name. */
    static Map<String, ReferenceVector> all() {
        try (InputStream in = ReferenceVector.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            Map<String, ReferenceVector> vectors = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                vectors.put(
                        f[0],
                        new ReferenceVector(
                                f[0], f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4])));
            }
            return vectors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReferenceVector get(String name) {
        ReferenceVector v = all().get(name);
        if (v == null) {
            throw new IllegalStateException(
                    "no reference vector named " + name + " in " + RESOURCE);
        }
        return v;
    }
}
