package io.serigraph.grpc.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Counters of what a node has done, for metrics and for waiting on a stream's end; also what the
 * node runs on (the compute device, the call queue, the models), for {@code /metrics}.
 */
public final class ServerStats {
    /** The window of {@link #renderTokensPerSecond()}, seconds. */
    static final int RATE_WINDOW = 60;

    private final RpcMetrics rpc = new RpcMetrics();
    private long tokensRendered;
    private long tokensFailed;
    private long batchesCompleted;
    private long batchesStopped;
    private long jobsCompleted;
    private long jobsStopped;
    private final long[] renderedPerSecond = new long[RATE_WINDOW];
    private final long[] renderSecond = new long[RATE_WINDOW];
    private volatile String computeBackend = "";
    private volatile String computeDevice = "";
    private volatile IntSupplier callQueue = () -> 0;
    private volatile InferenceModels models;

    synchronized void rendered() {
        tokensRendered++;
        long second = System.nanoTime() / 1_000_000_000L;
        int slot = (int) (second % RATE_WINDOW);
        if (renderSecond[slot] != second) {
            renderSecond[slot] = second;
            renderedPerSecond[slot] = 0;
        }
        renderedPerSecond[slot]++;
    }

    /** Tokens rendered per second, the mean over the last {@value #RATE_WINDOW} seconds. */
    public synchronized double renderTokensPerSecond() {
        long now = System.nanoTime() / 1_000_000_000L;
        long n = 0;
        for (int i = 0; i < RATE_WINDOW; i++) {
            if (now - renderSecond[i] < RATE_WINDOW) {
                n += renderedPerSecond[i];
            }
        }
        return (double) n / RATE_WINDOW;
    }

    /** Per-method call metrics. */
    public RpcMetrics rpc() {
        return rpc;
    }

    void computeDevice(String backend, String device) {
        this.computeBackend = backend;
        this.computeDevice = device;
    }

    /** The compositing backend in use ({@code opencl}, {@code java}); empty until warm. */
    public String computeBackend() {
        return computeBackend;
    }

    /** The compositing device in use, e.g. {@code NVIDIA H100}; empty until warm. */
    public String computeDevice() {
        return computeDevice;
    }

    void callQueue(IntSupplier depth) {
        this.callQueue = depth;
    }

    /** Calls admitted and waiting for a call thread. */
    public int callQueueDepth() {
        return callQueue.getAsInt();
    }

    void models(InferenceModels models) {
        this.models = models;
    }

    /** The node's inference models, null when it serves none. */
    InferenceModels models() {
        return models;
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

    /** A long job (DropService.Run, MintService.Mint) has returned its call thread. */
    synchronized void jobEnded(boolean completed) {
        if (completed) {
            jobsCompleted++;
        } else {
            jobsStopped++;
        }
        notifyAll();
    }

    /** DropService.Run and MintService.Mint calls that did all their work. */
    public synchronized long jobsCompleted() {
        return jobsCompleted;
    }

    /**
     * DropService.Run and MintService.Mint calls whose work stopped early (cancelled, deadline, or
     * an error) and whose thread has returned, so the drop is free for the next one.
     */
    public synchronized long jobsStopped() {
        return jobsStopped;
    }

    /** Waits until at least {@code n} jobs have stopped early, or {@code timeout} passes. */
    public synchronized boolean awaitJobsStopped(long n, Duration timeout)
            throws InterruptedException {
        return await(() -> jobsStopped >= n, timeout);
    }

    /** Waits (holding the lock between checks) until {@code done} holds or the time is up. */
    private synchronized boolean await(BooleanSupplier done, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Tokens rendered, by Render, RenderBatch and Run. */
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
        return await(() -> batchesStopped >= n, timeout);
    }
}
