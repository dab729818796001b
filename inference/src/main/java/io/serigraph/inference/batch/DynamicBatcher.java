package io.serigraph.inference.batch;

import io.serigraph.inference.InferenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Merges requests from any number of threads into batches for one model: a batch runs when it holds
 * {@link BatchPolicy#maxBatchSize()} requests or when its oldest request has waited {@link
 * BatchPolicy#maxDelay()}. One worker thread runs the batches, so the {@link BatchFunction} never
 * runs concurrently with itself.
 *
 * <p>Each caller gets its own {@link CompletableFuture}. Cancelling it before its batch runs takes
 * the request out; a request whose deadline passes first fails with {@link
 * DeadlineExceededException} at the deadline and is not run. Both are checked once more right
 * before a formed batch runs, so a request cancelled or expired while its batch was forming is
 * dropped from it and counted as cancelled or expired, never as completed. A full queue refuses a
 * request with {@link QueueFullException}. A failing batch fails each of its requests with an
 * {@link InferenceException} naming the batcher. {@link #close()} runs the batch in progress to the
 * end and fails the requests still waiting.
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {
    private static final ScheduledExecutorService DEADLINES =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "serigraph-batch-deadlines");
                        t.setDaemon(true);
                        return t;
                    });

    private final String name;
    private final BatchPolicy policy;
    private final BatchFunction<I, O> function;
    private final LinkedBlockingQueue<Request<I, O>> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;

    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final Object statsLock = new Object();
    private long completed;
    private long failed;
    private long cancelled;
    private long batches;
    private final long[] batchSizeCounts;
    private long totalQueueNanos;
    private long maxQueueNanos;
    private long totalRunNanos;

    private static final class Request<I, O> {
        final I input;
        final long enqueuedNanos;
        final CompletableFuture<O> future = new CompletableFuture<>();
        Instant deadline;
        ScheduledFuture<?> deadlineTask;

        Request(I input, long enqueuedNanos) {
            this.input = input;
            this.enqueuedNanos = enqueuedNanos;
        }
    }

    public DynamicBatcher(String name, BatchPolicy policy, BatchFunction<I, O> function) {
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.function = Objects.requireNonNull(function, "function");
        this.batchSizeCounts = new long[policy.maxBatchSize() + 1];
        this.worker = new Thread(this::work, "serigraph-batcher-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    public String name() {
        return name;
    }

    public BatchPolicy policy() {
        return policy;
    }

    /** True once {@link #close()} has begun: new requests are refused. */
    public boolean isClosed() {
        return closed;
    }

    /** Requests in the queue not yet taken into a batch. */
    int waitingInQueue() {
        return waiting.get();
    }

    /** Queues {@code input} with no deadline. */
    public CompletableFuture<O> submit(I input) {
        return submit(input, null);
    }

    /**
     * Queues {@code input}; the future completes with its own output, or exceptionally with an
     * {@link InferenceException} (a {@link DeadlineExceededException} once {@code deadline}, if not
     * null, passes before the request runs). Never blocks.
     */
    public CompletableFuture<O> submit(I input, Instant deadline) {
        Objects.requireNonNull(input, "input");
        Request<I, O> request = new Request<>(input, System.nanoTime());
        if (closed) {
            rejected.incrementAndGet();
            request.future.completeExceptionally(closedException());
            return request.future;
        }
        if (waiting.incrementAndGet() > policy.queueCapacity()) {
            waiting.decrementAndGet();
            rejected.incrementAndGet();
            request.future.completeExceptionally(
                    new QueueFullException(
                            name
                                    + ": "
                                    + policy.queueCapacity()
                                    + " requests are already waiting; try again later"));
            return request.future;
        }
        if (deadline != null) {
            request.deadline = deadline;
            long delay = Duration.between(Instant.now(), deadline).toNanos();
            request.deadlineTask =
                    DEADLINES.schedule(
                            () -> expire(request), Math.max(0, delay), TimeUnit.NANOSECONDS);
            request.future.whenComplete((r, e) -> request.deadlineTask.cancel(false));
        }
        submitted.incrementAndGet();
        queue.add(request);
        if (closed && queue.remove(request)) {
            waiting.decrementAndGet();
            request.future.completeExceptionally(closedException());
        }
        return request.future;
    }

    /** Fails {@code request} as expired, counted once, unless it is already done. */
    private void expire(Request<I, O> request) {
        // Counted before completing, so a caller who sees the failure also sees it counted;
        // undone if the request finished first.
        expired.incrementAndGet();
        if (!request.future.completeExceptionally(
                new DeadlineExceededException(
                        name
                                + ": deadline "
                                + request.deadline
                                + " passed before the request ran"))) {
            expired.decrementAndGet();
        }
    }

    private InferenceException closedException() {
        return new InferenceException(name + " is closed");
    }

    private void work() {
        List<Request<I, O>> batch = new ArrayList<>(policy.maxBatchSize());
        List<I> inputs = new ArrayList<>(policy.maxBatchSize());
        long maxDelay = policy.maxDelay().toNanos();
        try {
            while (true) {
                Request<I, O> first = queue.take();
                waiting.decrementAndGet();
                if (first.input == null) {
                    return; // the close marker
                }
                boolean stop = false;
                addIfLive(batch, first);
                long until = first.enqueuedNanos + maxDelay;
                while (batch.size() < policy.maxBatchSize()) {
                    long wait = until - System.nanoTime();
                    Request<I, O> next =
                            wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    waiting.decrementAndGet();
                    if (next.input == null) {
                        stop = true;
                        break;
                    }
                    addIfLive(batch, next);
                }
                if (closed) {
                    for (Request<I, O> r : batch) {
                        if (r.future.completeExceptionally(closedException())) {
                            rejected.incrementAndGet();
                        }
                    }
                    return;
                }
                dropDead(batch);
                if (!batch.isEmpty()) {
                    run(batch, inputs);
                }
                batch.clear();
                inputs.clear();
                if (stop || closed) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void addIfLive(List<Request<I, O>> batch, Request<I, O> request) {
        if (request.future.isCancelled()) {
            synchronized (statsLock) {
                cancelled++;
            }
        } else if (!request.future.isDone()) {
            batch.add(request);
        }
    }

    /**
     * Takes out of a formed batch, right before it runs, the requests cancelled or expired while it
     * was forming (the deadline timer may not have fired yet), counting each once.
     */
    private void dropDead(List<Request<I, O>> batch) {
        Instant now = null;
        for (int i = batch.size() - 1; i >= 0; i--) {
            Request<I, O> r = batch.get(i);
            if (r.deadline != null && !r.future.isDone()) {
                if (now == null) {
                    now = Instant.now();
                }
                if (!now.isBefore(r.deadline)) {
                    expire(r);
                }
            }
            if (r.future.isDone()) {
                batch.remove(i);
                if (r.future.isCancelled()) {
                    synchronized (statsLock) {
                        cancelled++;
                    }
                }
                // Otherwise it expired, and the deadline task counted it.
            }
        }
    }

    private void run(List<Request<I, O>> batch, List<I> inputs) {
        long start = System.nanoTime();
        for (Request<I, O> r : batch) {
            inputs.add(r.input);
        }
        List<O> outputs = null;
        Throwable error = null;
        try {
            outputs = function.apply(inputs);
            if (outputs == null || outputs.size() != batch.size()) {
                error =
                        new IllegalStateException(
                                "batch function returned "
                                        + (outputs == null ? "null" : outputs.size() + " outputs")
                                        + " for "
                                        + batch.size()
                                        + " inputs");
            }
        } catch (Exception | LinkageError | AssertionError e) {
            error = e;
        }
        long end = System.nanoTime();
        // Counters first, so anyone who sees a result also sees it counted.
        synchronized (statsLock) {
            batches++;
            batchSizeCounts[batch.size()]++;
            if (error == null) {
                completed += batch.size();
            } else {
                failed += batch.size();
            }
            for (Request<I, O> r : batch) {
                long q = start - r.enqueuedNanos;
                totalQueueNanos += q;
                maxQueueNanos = Math.max(maxQueueNanos, q);
            }
            totalRunNanos += end - start;
        }
        for (int i = 0; i < batch.size(); i++) {
            Request<I, O> r = batch.get(i);
            boolean delivered =
                    error == null
                            ? r.future.complete(outputs.get(i))
                            : r.future.completeExceptionally(
                                    error instanceof InferenceException
                                            ? error
                                            : new InferenceException(
                                                    name
                                                            + ": batch of "
                                                            + batch.size()
                                                            + " failed: "
                                                            + error,
                                                    error));
            if (!delivered) {
                // Cancelled or expired while its batch ran: counted as that, not as this batch's.
                synchronized (statsLock) {
                    if (error == null) {
                        completed--;
                    } else {
                        failed--;
                    }
                    if (r.future.isCancelled()) {
                        cancelled++;
                    }
                }
            }
        }
    }

    public BatchMetrics metrics() {
        synchronized (statsLock) {
            return new BatchMetrics(
                    name,
                    submitted.get(),
                    completed,
                    failed,
                    cancelled,
                    expired.get(),
                    rejected.get(),
                    batches,
                    batchSizeCounts,
                    Duration.ofNanos(totalQueueNanos),
                    Duration.ofNanos(maxQueueNanos),
                    Duration.ofNanos(totalRunNanos));
        }
    }

    /**
     * Stops taking requests, lets the batch in progress finish, and fails every request still
     * waiting with an {@link InferenceException}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        waiting.incrementAndGet();
        queue.add(new Request<>(null, System.nanoTime()));
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        Request<I, O> r;
        while ((r = queue.poll()) != null) {
            waiting.decrementAndGet();
            if (r.input != null && r.future.completeExceptionally(closedException())) {
                rejected.incrementAndGet();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
