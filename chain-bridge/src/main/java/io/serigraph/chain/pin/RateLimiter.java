package io.serigraph.chain.pin;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket: at most {@code burst} calls at once, refilled at {@code perSecond}. {@link
 * #acquire()} blocks until a call may go. Thread-safe.
 */
public final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastNanos;

    /**
     * @param perSecond sustained calls per second (above 0)
     * @param burst calls allowed at once (at least 1)
     */
    public RateLimiter(double perSecond, int burst) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException(
                    "a rate limit needs perSecond > 0 and burst >= 1, got "
                            + perSecond
                            + " and "
                            + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = System.nanoTime();
    }

    /** No limit. */
    public static RateLimiter unlimited() {
        return new RateLimiter(Double.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Waits until a call may go, and takes its token. */
    public void acquire() throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            refill();
            tokens -= 1;
            waitNanos = tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perSecond * 1e9);
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
        lastNanos = now;
    }
}
