package io.serigraph.grpc.server;

import java.time.Duration;

/** Counters of what a node has done, for metrics and for waiting on a stream's end. */
public final class ServerStats {
    private long tokensRendered;
    private long tokensFailed;
    private long batchesCompleted;
    private long batchesStopped;

    synchronized void rendered() {
        tokensRendered++;
    }

    synchronized void failed() {
        tokensFailed++;
    }

    synchronized void batchCompleted() {
        batchesCompleted++;
        notifyAll();
    }

    synchronized void batchStopped() {
        batchesStopped++;
        notifyAll();
    }

    /** Tokens rendered, by Render and RenderBatch. */
    public synchronized long tokensRendered() {
        return tokensRendered;
    }

    /** Tokens that failed in a batch. */
    public synchronized long tokensFailed() {
        return tokensFailed;
    }

    /** Batches that sent every token. */
    public synchronized long batchesCompleted() {
        return batchesCompleted;
    }

    /** Batches stopped early because their call was cancelled or its deadline passed. */
    public synchronized long batchesStopped() {
        return batchesStopped;
    }

    /**
     * Waits until at least {@code n} batches have stopped early, or {@code timeout} passes.
     *
     * @return whether they had
     */
    public synchronized boolean awaitBatchesStopped(long n, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (batchesStopped < n) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
