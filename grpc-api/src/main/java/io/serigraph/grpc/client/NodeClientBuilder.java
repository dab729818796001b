package io.serigraph.grpc.client;

import io.grpc.CallCredentials;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every client of a node takes: whether it owns its channel, a bearer token, a
 * deadline per call, and retries of {@code UNAVAILABLE}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class NodeClientBuilder<B extends NodeClientBuilder<B>> {
    boolean ownsChannel;
    CallCredentials credentials;
    Duration deadline = Duration.ofSeconds(60);
    int attempts = 5;
    Duration backoff = Duration.ofMillis(200);

    NodeClientBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Close the channel when the client closes (default: the caller closes it). */
    public B optOwnsChannel(boolean owns) {
        this.ownsChannel = owns;
        return self();
    }

    /** A bearer token for the node. */
    public B optToken(String token) {
        this.credentials = token == null ? null : new BearerCredentials(token);
        return self();
    }

    /** Deadline of each call (default 60 s). */
    public B optDeadline(Duration deadline) {
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        return self();
    }

    /** Tries per call when the node is UNAVAILABLE (default 5) and the first backoff. */
    public B optRetries(int attempts, Duration backoff) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.attempts = attempts;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return self();
    }
}
