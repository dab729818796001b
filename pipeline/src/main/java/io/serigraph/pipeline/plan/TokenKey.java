package io.serigraph.pipeline.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The secret per-collection key and the per-token stream seeds derived from it (see {@code
 * docs/determinism.md}, "Key derivation"):
 *
 * <pre>
 * key         = SHA-256("serigraph.token-key.v1" || planHash[32] || UTF-8(seed))
 * streamSeed  = first 8 bytes, big-endian, of SHA-256(key[32] || u64be(tokenId) || u32be(attempt))
 * </pre>
 *
 * The key is derived from the seed, so it is as secret as the seed: never logged, never exposed.
 */
final class TokenKey {
    static final byte[] TAG = "serigraph.token-key.v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;

    private TokenKey(byte[] key) {
        this.key = key;
    }

    static TokenKey derive(byte[] planHash, String seed) {
        MessageDigest sha = PlanHash.sha256();
        sha.update(TAG);
        sha.update(planHash);
        sha.update(seed.getBytes(StandardCharsets.UTF_8));
        return new TokenKey(sha.digest());
    }

    /**
     * The SplitMix64 seed of a side stream of the constrained planner ({@code docs/planner.md}):
     * the first 8 bytes, big-endian, of {@code SHA-256(key[32] || str(tag) || u32be(index))}.
     */
    long sideSeed(String tag, int index) {
        MessageDigest sha = PlanHash.sha256();
        sha.update(key);
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        sha.update(
                new byte[] {
                    (byte) (t.length >>> 24),
                    (byte) (t.length >>> 16),
                    (byte) (t.length >>> 8),
                    (byte) t.length
                });
        sha.update(t);
        sha.update(
                new byte[] {
                    (byte) (index >>> 24), (byte) (index >>> 16), (byte) (index >>> 8), (byte) index
                });
        byte[] digest = sha.digest();
        long seed = 0;
        for (int i = 0; i < 8; i++) {
            seed = (seed << 8) | (digest[i] & 0xFF);
        }
        return seed;
    }

    /**
     * The SplitMix64 seed of the stream for {@code tokenId} and {@code attempt}.
     *
     * @param sha a SHA-256 digest owned by the caller (reset on return)
     * @param scratch 12 bytes owned by the caller
     */
    long streamSeed(MessageDigest sha, byte[] scratch, long tokenId, int attempt) {
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (tokenId >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            scratch[8 + i] = (byte) (attempt >>> (24 - 8 * i));
        }
        sha.update(key);
        sha.update(scratch, 0, 12);
        byte[] digest = sha.digest();
        long seed = 0;
        for (int i = 0; i < 8; i++) {
            seed = (seed << 8) | (digest[i] & 0xFF);
        }
        return seed;
    }
}
