package io.serigraph.grpc.client;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What every client of a node does the same way: retries and closing its channel. */
final class NodeClients {
    private NodeClients() {}

    /**
     * Runs {@code call}, retrying {@code UNAVAILABLE} up to {@code attempts} tries in all with
     * exponential backoff from {@code backoff} (at most 10 s between tries).
     */
    static <T> T retrying(int attempts, Duration backoff, Supplier<T> call)
            throws InterruptedException {
        long wait = backoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || attempt >= attempts) {
                    throw e;
                }
            }
            TimeUnit.MILLISECONDS.sleep(wait);
            wait = Math.min(wait * 2, 10_000);
        }
    }

    /** Shuts {@code channel} down, waiting up to 5 s for its calls. */
    static void shutdown(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
