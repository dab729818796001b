package io.serigraph.chain.pin;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to retry a call that failed for a reason that may pass (no connection, a
 * timeout, HTTP 408, 429 or 5xx): exponential backoff with full jitter, capped, and the server's
 * {@code Retry-After} honoured when it is longer.
 *
 * @param maxAttempts attempts in all (1 = no retry)
 * @param initialDelay the first backoff
 * @param maxDelay the largest backoff
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "need 0 <= initialDelay <= maxDelay, got " + initialDelay + ", " + maxDelay);
        }
    }

    /** 5 attempts, 250 ms doubling up to 8 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(250), Duration.ofSeconds(8));
    }

    /** One attempt. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1). */
    Duration backoff(int attempt, Duration retryAfter) {
        long cap = initialDelay.toMillis() << Math.min(attempt - 1, 20);
        long ms = Math.min(maxDelay.toMillis(), Math.max(0, cap));
        long jittered = ms == 0 ? 0 : ThreadLocalRandom.current().nextLong(ms / 2, ms + 1);
        Duration d = Duration.ofMillis(jittered);
        if (retryAfter != null && retryAfter.compareTo(d) > 0) {
            return retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
        }
        return d;
    }

    /** Whether an answer with this HTTP status is worth another attempt. */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }
}
