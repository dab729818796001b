package io.serigraph.pipeline.provenance;

import io.serigraph.pipeline.store.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The collection provenance hash, as established drops publish it before reveal: SHA-256 over the
 * concatenation of every token's image SHA-256, each as 64 lower-case hex digits (ASCII), in token
 * order (the planned order, before any starting index), with no separator. Lower-case hex.
 */
public final class ProvenanceHash {
    private ProvenanceHash() {}

    /** One token's image hash. */
    public record Image(long tokenId, String sha256) {}

    /**
     * The provenance hash of {@code images} (in order).
     *
     * @throws DuplicateImageException when two tokens have the same image hash: a collection whose
     *     images are not all different is not sealed
     */
    public static String of(List<Image> images) throws DuplicateImageException {
        Map<String, Long> seen = new HashMap<>();
        MessageDigest md = Hashes.sha256();
        for (Image image : images) {
            String hex = image.sha256();
            if (hex.length() != 64 || !hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "token " + image.tokenId() + ": not a lower-case SHA-256 hex: " + hex);
            }
            Long first = seen.putIfAbsent(hex, image.tokenId());
            if (first != null) {
                throw new DuplicateImageException(first, image.tokenId(), hex);
            }
            md.update(hex.getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Two tokens have byte-identical images, so the collection cannot be sealed. */
    public static final class DuplicateImageException extends Exception {
        private final long first;
        private final long second;

        DuplicateImageException(long first, long second, String sha256) {
            super(
                    "tokens "
                            + first
                            + " and "
                            + second
                            + " have the same image (sha256 "
                            + sha256
                            + "); refusing to seal the provenance hash (change their traits or"
                            + " layer art so every image differs)");
            this.first = first;
            this.second = second;
        }

        public long first() {
            return first;
        }

        public long second() {
            return second;
        }
    }
}
