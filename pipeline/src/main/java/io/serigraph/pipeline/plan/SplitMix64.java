package io.serigraph.pipeline.plan;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014; the reference {@code splitmix64.c} by Vigna), the
 * generator behind every random draw of the planner. Its output is fully specified in {@code
 * docs/determinism.md}: add the golden gamma to the state, then mix the new state.
 *
 * <p>Not thread-safe; each token stream uses its own instance.
 */
public final class SplitMix64 {
    /** The golden gamma, {@code 0x9E3779B97F4A7C15}, added to the state before each output. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** Restarts this generator at {@code seed}, as if newly constructed. */
    public void reseed(long seed) {
        this.state = seed;
    }

    /** The next 64 output bits (read them as unsigned to compare with the C reference). */
    public long nextLong() {
        long z = (state += GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A uniform integer in {@code [0, bound)} by rejection: draw {@code x = nextLong()} (unsigned)
     * until {@code x >= 2^64 mod bound}, then return {@code x mod bound}. The accepted range holds
     * a whole multiple of {@code bound} values, so the result is exactly uniform.
     *
     * @param bound at least 1
     */
    public long nextBounded(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long threshold = Long.remainderUnsigned(-bound, bound); // 2^64 mod bound
        long x = nextLong();
        while (Long.compareUnsigned(x, threshold) < 0) {
            x = nextLong();
        }
        return Long.remainderUnsigned(x, bound);
    }
}
