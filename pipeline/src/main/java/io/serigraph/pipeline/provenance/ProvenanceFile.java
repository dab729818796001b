package io.serigraph.pipeline.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.pipeline.render.TokenMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code out/provenance.json}: the collection's provenance (hash over the ordered image hashes,
 * starting index, directory CIDs) and every published token's {@link TokenLineage}. Written by the
 * publish stage, read by {@code serigraph verify}. Canonical bytes: fixed key order, two-space
 * indent, {@code \n}, no timestamps, so publishing twice gives the same file.
 *
 * @param provenanceHash see {@link ProvenanceHash}
 * @param startingIndex the revealed starting index, or {@code null}
 * @param imagesCid the CID of the images directory ({@code out/car/images.car}'s root)
 * @param metadataCid the CID of the metadata directory; {@code tokenURI = ipfs://<it>/<id>}
 * @param contractCid the CID of {@code out/publish/contract.json} ({@code contractURI})
 * @param imageUri {@code directory} or {@code file}
 * @param tokens in token id order
 */
public record ProvenanceFile(
        String collection,
        String symbol,
        String specSha256,
        String planHash,
        String seedCommitment,
        String provenanceHash,
        Long startingIndex,
        String imagesCid,
        String metadataCid,
        String contractCid,
        String imageUri,
        List<TokenLineage> tokens) {

    /** Version of the file format. */
    public static final int VERSION = 1;

    /** How {@link #provenanceHash} is computed, written into the file for readers. */
    public static final String HASH_RULE =
            "sha256 over the concatenated lower-case hex sha256 of every image, in planned token"
                    + " order (before the starting index)";

    public ProvenanceFile {
        tokens = List.copyOf(tokens);
    }

    /** The canonical bytes of the file. */
    public byte[] toBytes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provenance", VERSION);
        m.put("collection", collection);
        m.put("symbol", symbol);
        m.put("tokens_count", tokens.size());
        m.put("spec_sha256", specSha256);
        m.put("plan_hash", planHash);
        m.put("seed_commitment", seedCommitment);
        m.put("provenance_hash", provenanceHash);
        m.put("provenance_hash_rule", HASH_RULE);
        m.put("starting_index", startingIndex);
        m.put("images_cid", imagesCid);
        m.put("metadata_cid", metadataCid);
        m.put("base_uri", "ipfs://" + metadataCid + "/");
        m.put("contract_cid", contractCid);
        m.put("image_uri", imageUri);
        List<Map<String, Object>> t = new ArrayList<>(tokens.size());
        for (TokenLineage l : tokens) {
            t.add(l.toMap());
        }
        m.put("tokens", t);
        return TokenMetadata.pretty(m);
    }

    /** The token with id {@code id}, or {@code null}. */
    public TokenLineage token(long id) {
        for (TokenLineage t : tokens) {
            if (t.tokenId() == id) {
                return t;
            }
        }
        return null;
    }

    /**
     * Reads {@code file}.
     *
     * @throws ProvenanceFormatException naming the file and the field that is wrong
     */
    public static ProvenanceFile read(Path file) throws IOException, ProvenanceFormatException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new ProvenanceFormatException(
                    file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ProvenanceFormatException(file + " is not a JSON object");
        }
        String where = file.getFileName().toString();
        TokenLineage.Json j = new TokenLineage.Json(root, where);
        if (j.number("provenance") != VERSION) {
            throw new ProvenanceFormatException(
                    where + ": provenance format " + j.number("provenance") + " is not " + VERSION);
        }
        List<TokenLineage> tokens = new ArrayList<>();
        int i = 0;
        for (JsonNode t : j.array("tokens")) {
            if (!t.isObject()) {
                throw new ProvenanceFormatException(where + ".tokens[" + i + "] is not an object");
            }
            tokens.add(TokenLineage.fromJson(t, where + ".tokens[" + i++ + "]"));
        }
        return new ProvenanceFile(
                j.text("collection"),
                j.text("symbol"),
                j.text("spec_sha256"),
                j.text("plan_hash"),
                j.text("seed_commitment"),
                j.text("provenance_hash"),
                j.optionalNumber("starting_index"),
                j.text("images_cid"),
                j.text("metadata_cid"),
                j.text("contract_cid"),
                j.text("image_uri"),
                tokens);
    }
}
