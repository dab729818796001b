package io.serigraph.pipeline.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.store.Hashes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one published token was derived from and what it is: the spec and plan it came from,
 * the seed commitment, its traits with the SHA-256 of each layer file used, the planner and
 * renderer versions (pixel math, PNG encoder), the output settings, and the image and metadata
 * files with their SHA-256 and CIDs. {@code serigraph verify} re-derives the token from it.
 *
 * @param tokenId the token id
 * @param artId the planned token whose art this token shows ({@link StartingIndex}); equal to
 *     {@code tokenId} without a starting index
 * @param dna the art's canonical DNA
 * @param renderer the render backend's version string (pixel math, encoder, canvas, output)
 * @param traits bottom to top, layers left out skipped
 * @param image the art's image file, relative to {@code out/}
 * @param metadata the token's final metadata file, relative to {@code out/}
 */
public record TokenLineage(
        long tokenId,
        long artId,
        String dna,
        String specSha256,
        String planHash,
        String seedCommitment,
        int plannerVersion,
        int pixelMathVersion,
        int pngEncoderVersion,
        String renderer,
        Output output,
        List<Trait> traits,
        FileRef image,
        FileRef metadata) {

    /** Version of this record's format. */
    public static final int VERSION = 1;

    public TokenLineage {
        traits = List.copyOf(traits);
    }

    /** One trait used: layer name, trait value, the layer file (relative to the spec) and hash. */
    public record Trait(String layer, String value, String file, String sha256) {}

    /**
     * The output settings; {@code compression} as the spec names it: a preset ({@code fast}, {@code
     * default}, {@code max}) or a zlib level, written to JSON as text or as a number.
     */
    public record Output(
            String format, int width, int height, String resample, String compression) {}

    /** A file: path relative to {@code out/}, SHA-256, size and CID. */
    public record FileRef(String path, String sha256, long bytes, String cid) {}

    /** The record as a JSON document with a fixed key order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lineage", VERSION);
        m.put("token_id", tokenId);
        m.put("art_id", artId);
        m.put("dna", dna);
        m.put("spec_sha256", specSha256);
        m.put("plan_hash", planHash);
        m.put("seed_commitment", seedCommitment);
        m.put("planner", plannerVersion);
        m.put("pixel_math", pixelMathVersion);
        m.put("png_encoder", pngEncoderVersion);
        m.put("renderer", renderer);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("format", output.format());
        o.put("width", output.width());
        o.put("height", output.height());
        o.put("resample", output.resample());
        String c = output.compression();
        o.put("compression", c.chars().allMatch(Character::isDigit) ? Integer.parseInt(c) : c);
        m.put("output", o);
        List<Map<String, Object>> t = new ArrayList<>();
        for (Trait trait : traits) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("trait_type", trait.layer());
            e.put("value", trait.value());
            e.put("file", trait.file());
            e.put("sha256", trait.sha256());
            t.add(e);
        }
        m.put("traits", t);
        m.put("image", file(image));
        m.put("metadata", file(metadata));
        return m;
    }

    private static Map<String, Object> file(FileRef f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.path());
        m.put("sha256", f.sha256());
        m.put("bytes", f.bytes());
        m.put("cid", f.cid());
        return m;
    }

    /** SHA-256 of the compact canonical JSON of {@link #toMap()}: what the state store records. */
    public String hash() {
        return Hashes.sha256Hex(TokenMetadata.compact(toMap()));
    }

    /**
     * Reads a record from provenance.json.
     *
     * @throws ProvenanceFormatException naming the field that is missing or wrong
     */
    public static TokenLineage fromJson(JsonNode n, String where) throws ProvenanceFormatException {
        Json j = new Json(n, where);
        Json o = j.object("output");
        List<Trait> traits = new ArrayList<>();
        int i = 0;
        for (JsonNode t : j.array("traits")) {
            Json tj = new Json(t, where + ".traits[" + i++ + "]");
            traits.add(
                    new Trait(
                            tj.text("trait_type"),
                            tj.text("value"),
                            tj.text("file"),
                            tj.text("sha256")));
        }
        return new TokenLineage(
                j.number("token_id"),
                j.number("art_id"),
                j.text("dna"),
                j.text("spec_sha256"),
                j.text("plan_hash"),
                j.text("seed_commitment"),
                (int) j.number("planner"),
                (int) j.number("pixel_math"),
                (int) j.number("png_encoder"),
                j.text("renderer"),
                new Output(
                        o.text("format"),
                        (int) o.number("width"),
                        (int) o.number("height"),
                        o.text("resample"),
                        o.get("compression").isTextual()
                                ? o.text("compression")
                                : Long.toString(o.number("compression"))),
                traits,
                fileRef(j.object("image")),
                fileRef(j.object("metadata")));
    }

    private static FileRef fileRef(Json f) throws ProvenanceFormatException {
        return new FileRef(f.text("path"), f.text("sha256"), f.number("bytes"), f.text("cid"));
    }

    /** Typed access to a JSON object that names the missing or wrong field. */
    record Json(JsonNode node, String where) {
        Json {
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(where + " is not an object");
            }
        }

        JsonNode get(String key) throws ProvenanceFormatException {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw new ProvenanceFormatException(where + "." + key + " is missing");
            }
            return v;
        }

        String text(String key) throws ProvenanceFormatException {
            JsonNode v = get(key);
            if (!v.isTextual()) {
                throw new ProvenanceFormatException(where + "." + key + " must be text");
            }
            return v.textValue();
        }

        String optionalText(String key) throws ProvenanceFormatException {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : text(key);
        }

        long number(String key) throws ProvenanceFormatException {
            JsonNode v = get(key);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new ProvenanceFormatException(where + "." + key + " must be a whole number");
            }
            return v.longValue();
        }

        Long optionalNumber(String key) throws ProvenanceFormatException {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : number(key);
        }

        Json object(String key) throws ProvenanceFormatException {
            JsonNode v = get(key);
            if (!v.isObject()) {
                throw new ProvenanceFormatException(where + "." + key + " must be an object");
            }
            return new Json(v, where + "." + key);
        }

        Iterable<JsonNode> array(String key) throws ProvenanceFormatException {
            JsonNode v = get(key);
            if (!v.isArray()) {
                throw new ProvenanceFormatException(where + "." + key + " must be a list");
            }
            return v;
        }
    }
}
