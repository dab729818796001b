package io.serigraph.pipeline.render;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.render.RenderStage.Job;
import io.serigraph.pipeline.store.Hashes;
import io.serigraph.pipeline.store.StageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of the render stage as a stream, every hand-over a bounded queue:
 *
 * <pre>
 * planner --batches--> N renderers --encoded--> W writers --written--> committer (the caller)
 * (lineage,  (n)        (composite a batch    (2 W)     (image + JSON,  (2 G)   (make them durable,
 *  metadata)              per launch, encode)             put in place)          one store transaction
 *                                                                                per up to G tokens,
 *                                                                                progress)
 * </pre>
 *
 * <p>Nothing per token outlives its trip through the queues, so memory is flat whatever the
 * collection size; a slow disk fills the queues before it and stops the renderers (back-pressure),
 * never an unbounded buffer. A token is recorded only after its files are durable (the stage's
 * {@link io.serigraph.pipeline.store.DurableWrites} commit, once per group), so a kill or a crash
 * anywhere leaves every record naming durable files; tokens rendered or written but not recorded
 * are simply redone by the next run, with the same bytes.
 *
 * <p>The first failure anywhere stops the stream: the other threads are interrupted and joined,
 * every token already written is still recorded, and the failure, naming its token, is thrown. So
 * is an interruption of the caller, as a {@link RenderException} whose thread keeps its interrupt
 * status.
 */
final class RenderPipeline {
    /** Most tokens per store transaction. */
    static final int COMMIT_GROUP = 64;

    private static final Object END = new Object();

    private final RenderStage stage;
    private final Plan plan;
    private final TraitLibrary library;
    private final RenderBackend backend;
    private final RenderStage.Listener listener;
    private final int renderers;
    private final int writers;
    private final int batchSize;
    private final BlockingQueue<Object> batches;
    private final BlockingQueue<Object> encoded;
    private final BlockingQueue<Object> written;
    private final AtomicInteger liveRenderers = new AtomicInteger();

    RenderPipeline(
            RenderStage stage,
            Plan plan,
            TraitLibrary library,
            RenderBackend backend,
            int threads,
            int writers,
            RenderStage.Listener listener) {
        this.stage = stage;
        this.plan = plan;
        this.library = library;
        this.backend = backend;
        this.listener = listener;
        this.renderers = threads;
        this.writers = writers;
        this.batchSize = Math.max(1, backend.batchSize());
        this.batches = new ArrayBlockingQueue<>(renderers);
        this.encoded = new ArrayBlockingQueue<>(2 * writers);
        this.written = new ArrayBlockingQueue<>(2 * COMMIT_GROUP);
    }

    /**
     * Writer threads: eight per renderer, 16 to 32. Where each file is forced as it is written,
     * writers mostly wait on fsync (two per token), and concurrent fsyncs share the file system's
     * journal commits, so many more of them than cores hide the disk's latency at little CPU cost:
     * with 4 writers flat art rendered at 103 tokens/s on 2 cores using 1.3 of them, waiting on
     * fsync; with 16, 175-191 tokens/s on both (2026-12-06, benchmarks/README.md). Where a commit
     * syncs the file system instead, creating the files still blocks on ext4 now and then: 2 or 4
     * writers rendered 10% slower than 16 (2026-12-07).
     */
    static int writers(int threads) {
        return Math.min(32, Math.max(16, 8 * threads));
    }

    /**
     * The most tokens rendered but not yet handed to the committer, whatever the disk does: a batch
     * in each renderer, the encoded queue, one token in each writer.
     */
    static int maxUnwritten(int threads, int batchSize, int writers) {
        return threads * Math.max(1, batchSize) + 2 * writers + writers;
    }

    /** A batch of jobs, with the backend's view of them. */
    private record Batch(List<Job> jobs, List<PlannedToken> tokens, int[] oneOfOnes) {}

    private record Encoded(Job job, byte[] png) {}

    private record Written(StageRecord record, long bytes) {}

    private record Failed(RenderException error) {}

    /** Renders the {@code count} tokens at the set positions of {@code todo}; returns bytes. */
    long run(BitSet todo, int count) throws RenderException {
        ExecutorService pool = Executors.newFixedThreadPool(1 + renderers + writers, new Named());
        liveRenderers.set(renderers);
        pool.execute(guarded(() -> plan(todo)));
        for (int r = 0; r < renderers; r++) {
            pool.execute(guarded(this::render));
        }
        for (int w = 0; w < writers; w++) {
            pool.execute(guarded(this::write));
        }
        long bytes = 0;
        int committed = 0;
        RenderException failure = null;
        boolean interrupted = false;
        boolean committerFailed = false;
        List<Object> group = new ArrayList<>(COMMIT_GROUP);
        try {
            while (committed < count && failure == null) {
                group.clear();
                group.add(written.take());
                written.drainTo(group, COMMIT_GROUP - 1);
                failure = firstFailure(group);
                long[] done = commit(group);
                bytes += done[0];
                committed += (int) done[1];
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (CommitException e) {
            if (Thread.currentThread().isInterrupted()) {
                interrupted = true; // the interrupt closed a folder's channel: a cancellation
            } else {
                failure = e.error;
                committerFailed = true;
            }
        } catch (RuntimeException e) {
            // The listener failed: stop everything all the same, never leave the threads parked.
            failure = new RenderException(-1, "progress listener: " + RenderStage.describe(e), e);
            committerFailed = true;
        }
        interrupted |= stop(pool);
        if (!committerFailed) {
            // Tokens written before the stop: durable files, so record them (nothing done is lost).
            group.clear();
            written.drainTo(group);
            if (failure == null && !interrupted) {
                // A cancellation's own fallout (writes cut short by the stop) is not a failure.
                failure = firstFailure(group);
            }
            try {
                bytes += commit(group)[0];
            } catch (CommitException e) {
                failure = failure == null ? e.error : failure;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (failure == null) {
                throw new RenderException(
                        -1,
                        "interrupted; every token written so far is recorded, run again to"
                                + " finish",
                        new InterruptedException());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return bytes;
    }

    private static RenderException firstFailure(List<Object> items) {
        for (Object o : items) {
            if (o instanceof Failed f) {
                return f.error();
            }
        }
        return null;
    }

    private static final class CommitException extends Exception {
        final RenderException error;

        CommitException(RenderException error) {
            super(error);
            this.error = error;
        }
    }

    /** Records the written tokens of {@code items}; returns {bytes, tokens}. */
    private long[] commit(List<Object> items) throws CommitException {
        List<StageRecord> records = new ArrayList<>(items.size());
        long bytes = 0;
        for (Object o : items) {
            if (o instanceof Written w) {
                records.add(w.record());
                bytes += w.bytes();
            }
        }
        if (records.isEmpty()) {
            return new long[] {0, 0};
        }
        try {
            stage.commit(records);
        } catch (IOException | RuntimeException e) {
            long first = records.get(0).tokenId();
            throw new CommitException(
                    new RenderException(
                            first,
                            "recording tokens "
                                    + first
                                    + ".."
                                    + records.get(records.size() - 1).tokenId()
                                    + ": "
                                    + RenderStage.describe(e),
                            e));
        }
        for (StageRecord r : records) {
            listener.rendered(r.tokenId(), r.outputBytes());
        }
        return new long[] {bytes, records.size()};
    }

    /** Interrupts every pipeline thread and waits for all of them; returns whether we were. */
    private static boolean stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = Thread.interrupted();
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.DAYS)) {
                    return interrupted;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** The planner: jobs (metadata, lineage) in id order, {@code batchSize} per batch. */
    private void plan(BitSet todo) {
        try {
            List<Job> jobs = new ArrayList<>(batchSize);
            for (int i = todo.nextSetBit(0); i >= 0; i = todo.nextSetBit(i + 1)) {
                try {
                    jobs.add(stage.job(plan, library, backend, i));
                } catch (RuntimeException e) {
                    fail(new RenderException(plan.startId() + i, RenderStage.describe(e), e));
                    return;
                }
                if (jobs.size() == batchSize) {
                    batches.put(batch(jobs));
                    jobs = new ArrayList<>(batchSize);
                }
            }
            if (!jobs.isEmpty()) {
                batches.put(batch(jobs));
            }
            for (int r = 0; r < renderers; r++) {
                batches.put(END);
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private static Batch batch(List<Job> jobs) {
        List<PlannedToken> tokens = new ArrayList<>(jobs.size());
        int[] ones = new int[jobs.size()];
        for (int k = 0; k < ones.length; k++) {
            tokens.add(jobs.get(k).token());
            ones[k] = jobs.get(k).oneOfOne();
        }
        return new Batch(jobs, tokens, ones);
    }

    /** A renderer: composites and encodes a batch, hands each token on. */
    private void render() {
        try {
            byte[][] pngs = new byte[batchSize][];
            for (Object o = batches.take(); o != END; o = batches.take()) {
                Batch b = (Batch) o;
                try {
                    backend.renderBatch(b.tokens(), b.oneOfOnes(), pngs);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    fail(batchFailure(b, e));
                    return;
                }
                for (int k = 0; k < b.jobs().size(); k++) {
                    encoded.put(new Encoded(b.jobs().get(k), pngs[k]));
                    pngs[k] = null;
                }
            }
            if (liveRenderers.decrementAndGet() == 0) {
                for (int w = 0; w < writers; w++) {
                    encoded.put(END);
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private static RenderException batchFailure(Batch b, Exception e) {
        if (e instanceof RenderException re) {
            return re;
        }
        long first = b.jobs().get(0).token().id();
        long last = b.jobs().get(b.jobs().size() - 1).token().id();
        String where =
                first == last ? "" : " (rendering the batch of tokens " + first + ".." + last + ")";
        return new RenderException(first, RenderStage.describe(e) + where, e);
    }

    /** A writer: puts a token's files in place and hands its record on. */
    private void write() {
        try {
            for (Object o = encoded.take(); o != END; o = encoded.take()) {
                Encoded e = (Encoded) o;
                Job job = e.job();
                long bytes;
                try {
                    bytes = stage.write(job, e.png());
                } catch (IOException | RuntimeException x) {
                    fail(new RenderException(job.token().id(), RenderStage.describe(x), x));
                    return;
                }
                written.put(
                        new Written(
                                new StageRecord(
                                        job.token().id(),
                                        RenderStage.STAGE,
                                        job.lineage(),
                                        Hashes.sha256Hex(e.png()),
                                        e.png().length),
                                bytes));
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /**
     * {@code body}, with anything it did not expect (an {@link Error} included) handed to the
     * committer rather than lost with the thread.
     */
    private Runnable guarded(Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                try {
                    fail(new RenderException(-1, RenderStage.describe(e), e));
                } catch (InterruptedException stopped) {
                    // the stream is stopping anyway
                }
            }
        };
    }

    /** Hands a failure to the committer, which stops the stream. */
    private void fail(RenderException error) throws InterruptedException {
        written.put(new Failed(error));
    }

    /** Names the stream's threads, daemons so that a stuck device never keeps the JVM alive. */
    private static final class Named implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "serigraph-render-" + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        }
    }
}
