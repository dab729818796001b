package io.serigraph.inference.batch;

import java.time.Duration;

/**
 * A snapshot of a {@link DynamicBatcher}'s counters.
 *
 * @param name the batcher's (model's) name
 * @param submitted requests accepted into the queue
 * @param completed requests that got a result
 * @param failed requests whose batch failed
 * @param cancelled requests their caller cancelled before their batch ran
 * @param expired requests whose deadline passed before their batch ran
 * @param rejected requests refused because the queue was full or the batcher closed
 * @param batches batches run
 * @param batchSizeCounts {@code batchSizeCounts[n]} = how many batches held {@code n} requests
 * @param totalQueueTime summed time from submission to the start of the request's batch
 * @param maxQueueTime the longest such wait
 * @param totalRunTime summed time spent running batches
 */
public record BatchMetrics(
        String name,
        long submitted,
        long completed,
        long failed,
        long cancelled,
        long expired,
        long rejected,
        long batches,
        long[] batchSizeCounts,
        Duration totalQueueTime,
        Duration maxQueueTime,
        Duration totalRunTime) {

    public BatchMetrics {
        batchSizeCounts = batchSizeCounts.clone();
    }

    @Override
    public long[] batchSizeCounts() {
        return batchSizeCounts.clone();
    }

    /** Requests that entered a batch (completed or failed). */
    public long batchedRequests() {
        long n = 0;
        for (int size = 1; size < batchSizeCounts.length; size++) {
            n += size * batchSizeCounts[size];
        }
        return n;
    }

    /** The largest batch run so far, 0 before the first. */
    public int largestBatch() {
        for (int size = batchSizeCounts.length - 1; size > 0; size--) {
            if (batchSizeCounts[size] > 0) {
                return size;
            }
        }
        return 0;
    }

    public double meanBatchSize() {
        return batches == 0 ? 0 : (double) batchedRequests() / batches;
    }

    public Duration meanQueueTime() {
        long n = batchedRequests();
        return n == 0 ? Duration.ZERO : totalQueueTime.dividedBy(n);
    }

    @Override
    public String toString() {
        return String.format(
                "%s: %d requests in %d batches (mean %.2f, largest %d), queue mean %s max %s,"
                        + " run %s; %d failed, %d cancelled, %d expired, %d rejected",
                name,
                batchedRequests(),
                batches,
                meanBatchSize(),
                largestBatch(),
                meanQueueTime(),
                maxQueueTime,
                totalRunTime,
                failed,
                cancelled,
                expired,
                rejected);
    }
}
