package io.serigraph.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.inference.InferenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

    /** A batch function that blocks its first batch until released, so the queue fills up. */
    private static final class GatedSquare implements BatchFunction<Integer, Long> {
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> sizes = new ArrayList<>();

        @Override
        public List<Long> apply(List<Integer> inputs) throws InterruptedException {
            firstStarted.countDown();
            release.await();
            synchronized (sizes) {
                sizes.add(inputs.size());
            }
            List<Long> out = new ArrayList<>();
            for (int i : inputs) {
                out.add((long) i * i);
            }
            return out;
        }
    }

    /** Records the inputs of every batch it runs and squares them. */
    private static final class RecordingSquare implements BatchFunction<Integer, Long> {
        final List<List<Integer>> batches = new ArrayList<>();

        @Override
        public synchronized List<Long> apply(List<Integer> inputs) {
            batches.add(List.copyOf(inputs));
            List<Long> out = new ArrayList<>();
            for (int i : inputs) {
                out.add((long) i * i);
            }
            return out;
        }
    }

    /** Waits until the worker has taken every queued request into the batch it is forming. */
    private static void awaitTaken(DynamicBatcher<?, ?> batcher) {
        while (batcher.waitingInQueue() > 0) {
            Thread.onSpinWait();
        }
    }

    /** What a forming batch makes of a request spoiled (cancelled or expired) while it waits. */
    @FunctionalInterface
    private interface Spoiler {
        /** Submits the request and spoils it once the worker holds it. */
        void spoil(DynamicBatcher<Integer, Long> batcher) throws Exception;
    }

    /**
     * Lets {@code spoiler} submit and spoil one request while the worker holds it in a batch that
     * forms until it holds 3, then fills the batch with two more: only those two may run.
     */
    private static BatchMetrics formBatchAround(Spoiler spoiler) throws Exception {
        RecordingSquare fn = new RecordingSquare();
        BatchPolicy policy = new BatchPolicy(3, Duration.ofHours(1), 10);
        try (DynamicBatcher<Integer, Long> batcher = new DynamicBatcher<>("square", policy, fn)) {
            spoiler.spoil(batcher);
            CompletableFuture<Long> b = batcher.submit(3);
            CompletableFuture<Long> c = batcher.submit(4);
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(9L);
            assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo(16L);
            assertThat(fn.batches).containsExactly(List.of(3, 4));
            BatchMetrics m = batcher.metrics();
            assertThat(m.completed()).isEqualTo(2);
            assertThat(m.batchSizeCounts()[2]).isEqualTo(1);
            return m;
        }
    }

    @Test
    void aRequestCancelledWhileItsBatchFormsIsDroppedAndCountedCancelled() throws Exception {
        BatchMetrics m =
                formBatchAround(
                        batcher -> {
                            CompletableFuture<Long> dropped = batcher.submit(2);
                            awaitTaken(batcher);
                            dropped.cancel(false);
                        });
        assertThat(m.cancelled()).isEqualTo(1);
        assertThat(m.expired()).isZero();
    }

    @Test
    void aRequestExpiredWhileItsBatchFormsIsDroppedAndCountedExpired() throws Exception {
        BatchMetrics m =
                formBatchAround(
                        batcher -> {
                            CompletableFuture<Long> late =
                                    batcher.submit(2, Instant.now().plusMillis(200));
                            awaitTaken(batcher);
                            assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
                                    .hasCauseInstanceOf(DeadlineExceededException.class);
                        });
        assertThat(m.expired()).isEqualTo(1);
        assertThat(m.cancelled()).isZero();
    }

    @Test
    void aRequestCancelledWhileItsBatchRunsIsCountedCancelledNotCompleted() throws Exception {
        GatedSquare fn = new GatedSquare();
        BatchPolicy policy = new BatchPolicy(2, Duration.ofHours(1), 10);
        try (DynamicBatcher<Integer, Long> batcher = new DynamicBatcher<>("square", policy, fn)) {
            CompletableFuture<Long> gone = batcher.submit(2);
            CompletableFuture<Long> kept = batcher.submit(3);
            assertThat(fn.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            gone.cancel(false);
            fn.release.countDown();
            assertThat(kept.get(10, TimeUnit.SECONDS)).isEqualTo(9L);
            assertThat(fn.sizes).containsExactly(2);
            BatchMetrics m = batcher.metrics();
            assertThat(m.completed()).isEqualTo(1);
            assertThat(m.cancelled()).isEqualTo(1);
            assertThat(m.failed()).isZero();
        }
    }

    @Test
    void manyThreadsEachGetTheirOwnResultAndBatchesForm() throws Exception {
        GatedSquare fn = new GatedSquare();
        BatchPolicy policy = new BatchPolicy(16, Duration.ofMillis(2), 1000);
        try (DynamicBatcher<Integer, Long> batcher = new DynamicBatcher<>("square", policy, fn)) {
            // The first request occupies the worker until every other request is queued.
            CompletableFuture<Long> first = batcher.submit(-1);
            assertThat(fn.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            int threads = 64;
            CyclicBarrier start = new CyclicBarrier(threads);
            List<CompletableFuture<Long>> results = new ArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                CompletableFuture<Long> mine = new CompletableFuture<>();
                results.add(mine);
                int value = t;
                Thread caller =
                        new Thread(
                                () -> {
                                    try {
                                        start.await();
                                        mine.complete(batcher.submit(value).get());
                                    } catch (Exception e) {
                                        mine.completeExceptionally(e);
                                    }
                                });
                callers.add(caller);
                caller.start();
            }
            while (batcher.metrics().submitted() < threads + 1) {
                Thread.onSpinWait();
            }
            fn.release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
            for (int t = 0; t < threads; t++) {
                assertThat(results.get(t).get(10, TimeUnit.SECONDS)).isEqualTo((long) t * t);
            }
            for (Thread c : callers) {
                c.join();
            }
            BatchMetrics m = batcher.metrics();
            assertThat(m.batchedRequests()).isEqualTo(threads + 1);
            assertThat(m.completed()).isEqualTo(threads + 1);
            assertThat(m.largestBatch()).isEqualTo(16);
            assertThat(m.batches()).isEqualTo(1 + threads / 16);
            assertThat(fn.sizes).containsExactly(1, 16, 16, 16, 16);
            assertThat(m.maxQueueTime()).isPositive();
        }
    }

    @Test
    void cancelledAndExpiredRequestsDoNotRun() throws Exception {
        GatedSquare fn = new GatedSquare();
        try (DynamicBatcher<Integer, Long> batcher =
                new DynamicBatcher<>("square", new BatchPolicy(8, Duration.ZERO, 100), fn)) {
            CompletableFuture<Long> blocker = batcher.submit(1);
            assertThat(fn.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Long> cancelled = batcher.submit(2);
            CompletableFuture<Long> expiring = batcher.submit(3, Instant.now().plusMillis(20));
            CompletableFuture<Long> kept = batcher.submit(4);
            cancelled.cancel(false);
            assertThatThrownBy(() -> expiring.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("deadline");
            fn.release.countDown();
            assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(kept.get(10, TimeUnit.SECONDS)).isEqualTo(16L);
            assertThatThrownBy(cancelled::join).isInstanceOf(CancellationException.class);
            BatchMetrics m = batcher.metrics();
            assertThat(fn.sizes).containsExactly(1, 1);
            assertThat(m.cancelled()).isEqualTo(1);
            assertThat(m.expired()).isEqualTo(1);
            assertThat(m.completed()).isEqualTo(2);
        }
    }

    @Test
    void aFailingBatchFailsEachOfItsRequests() {
        try (DynamicBatcher<Integer, Long> batcher =
                new DynamicBatcher<>(
                        "broken",
                        BatchPolicy.DEFAULT,
                        inputs -> {
                            throw new IllegalStateException("boom");
                        })) {
            CompletableFuture<Long> f = batcher.submit(1);
            assertThatThrownBy(f::join)
                    .hasCauseInstanceOf(InferenceException.class)
                    .hasMessageContaining("broken")
                    .hasMessageContaining("boom");
            assertThat(batcher.metrics().failed()).isEqualTo(1);
        }
    }

    @Test
    void aWrongNumberOfOutputsIsAnError() {
        try (DynamicBatcher<Integer, Long> batcher =
                new DynamicBatcher<>("short", BatchPolicy.DEFAULT, inputs -> List.of())) {
            assertThatThrownBy(() -> batcher.submit(1).join())
                    .hasMessageContaining("0 outputs for 1 inputs");
        }
    }

    @Test
    void closeFailsWaitingRequestsAndRejectsNewOnes() throws Exception {
        GatedSquare fn = new GatedSquare();
        DynamicBatcher<Integer, Long> batcher =
                new DynamicBatcher<>("closing", new BatchPolicy(1, Duration.ZERO, 100), fn);
        CompletableFuture<Long> running = batcher.submit(5);
        assertThat(fn.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Long> waiting = batcher.submit(6);
        Thread closer = new Thread(batcher::close);
        closer.start();
        while (!batcher.isClosed()) {
            Thread.onSpinWait();
        }
        fn.release.countDown();
        closer.join();
        assertThat(running.get()).isEqualTo(25L); // the batch in progress finishes
        assertThatThrownBy(waiting::join).hasMessageContaining("closing is closed");
        assertThatThrownBy(() -> batcher.submit(8).join()).hasMessageContaining("is closed");
        batcher.close();
    }

    @Test
    void aFullQueueRejects() throws Exception {
        GatedSquare fn = new GatedSquare();
        try (DynamicBatcher<Integer, Long> batcher =
                new DynamicBatcher<>("small", new BatchPolicy(1, Duration.ZERO, 2), fn)) {
            CompletableFuture<Long> running = batcher.submit(1);
            assertThat(fn.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            batcher.submit(2);
            batcher.submit(3);
            assertThatThrownBy(() -> batcher.submit(4).join())
                    .hasCauseInstanceOf(QueueFullException.class)
                    .hasMessageContaining("2 requests are already waiting");
            fn.release.countDown();
            assertThat(running.get()).isEqualTo(1L);
            assertThat(batcher.metrics().rejected()).isEqualTo(1);
        }
    }
}
