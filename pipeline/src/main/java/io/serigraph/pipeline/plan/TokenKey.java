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

    /** The domain tag of re-roll streams. */
    static final byte[] REROLL_TAG = "serigraph.reroll".getBytes(StandardCharsets.US_ASCII);

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

    /**
     * The SplitMix64 seed of draw {@code attempt} of re-roll {@code round} of {@code tokenId}
     * ({@code docs/determinism.md}, "Re-rolls"): the first 8 bytes, big-endian, of {@code
     * SHA-256(key[32] || str("serigraph.reroll") || u64be(tokenId) || u32be(round) ||
     * u32be(attempt))}.
     */
    long rerollSeed(long tokenId, int round, int attempt) {
        MessageDigest sha = PlanHash.sha256();
        sha.update(key);
        byte[] t = REROLL_TAG;
        byte[] b = new byte[4 + t.length + 16];
        putInt(b, 0, t.length);
        System.arraycopy(t, 0, b, 4, t.length);
        int o = 4 + t.length;
        putInt(b, o, (int) (tokenId >>> 32));
        putInt(b, o + 4, (int) tokenId);
        putInt(b, o + 8, round);
        putInt(b, o + 12, attempt);
        sha.update(b);
        byte[] digest = sha.digest();
        long seed = 0;
        for (int i = 0; i < 8; i++) {
            seed = (seed << 8) | (digest[i] & 0xFF);
        }
        return seed;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
