package io.serigraph.inference.batch;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DynamicBatcher} merges requests: a batch runs as soon as it holds {@code
 * maxBatchSize} requests or its oldest request has waited {@code maxDelay}, whichever comes first.
 * At most {@code queueCapacity} requests wait at once; more are rejected.
 */
public record BatchPolicy(int maxBatchSize, Duration maxDelay, int queueCapacity) {
    /** 32 per batch, 5 ms delay, 4096 waiting. */
    public static final BatchPolicy DEFAULT = new BatchPolicy(32, Duration.ofMillis(5), 4096);

    public BatchPolicy {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException(
                    "maxBatchSize must be at least 1, was " + maxBatchSize);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException(
                    "queueCapacity must be at least 1, was " + queueCapacity);
        }
    }

    public BatchPolicy withMaxBatchSize(int size) {
        return new BatchPolicy(size, maxDelay, queueCapacity);
    }

    public BatchPolicy withMaxDelay(Duration delay) {
        return new BatchPolicy(maxBatchSize, delay, queueCapacity);
    }
}
