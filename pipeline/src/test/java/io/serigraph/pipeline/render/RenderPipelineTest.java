package io.serigraph.pipeline.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.AtomicFiles;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.Hashes;
import io.serigraph.pipeline.store.StageRecord;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The render stream under a slow disk, an interruption and a crash: bounded work in flight, a store
 * whose every record names durable files, and a rerun that finishes with the bytes of an
 * undisturbed render.
 */
class RenderPipelineTest {
    /** Every combination of the test drop's 3 x 3 x 3 traits. */
    private static final int TOKENS = 27;

    @TempDir Path dir;

    @Test
    void aBlockedDiskStopsRenderingAtTheQueueBound() throws Exception {
        Path spec = RenderStageTest.writeDrop(dir.resolve("drop"), "42", TOKENS);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RenderStage.OutputWriter blocked =
                (target, data) -> {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("interrupted while blocked");
                    }
                    AtomicFiles.writeUnsynced(target, data);
                };
        Run run = new Run(spec, 1, blocked);
        run.start();
        assertThat(entered.await(2, TimeUnit.MINUTES)).as("the first write began").isTrue();
        awaitEveryStreamThreadParked(run.thread);

        int bound = RenderPipeline.maxUnwritten(1, run.batchSize(), Run.WRITERS);
        assertThat(run.recorded.get())
                .as("nothing can be recorded while the disk is stuck")
                .isZero();
        assertThat(run.rendered.get())
                .as("tokens rendered while the disk is stuck")
                .isPositive()
                .isLessThanOrEqualTo(bound)
                .isLessThan(TOKENS);

        release.countDown();
        run.thread.join();
        assertThat(run.failure.get()).isNull();
        assertThat(run.report.get().rendered()).isEqualTo(TOKENS);
        assertThat(run.rendered.get()).isEqualTo(TOKENS);
        assertSameBytesAsAnUndisturbedRender(spec);
    }

    @Test
    void interruptingMidStreamLeavesAConsistentStoreAndARerunFinishesTheSameBytes()
            throws Exception {
        Path spec = RenderStageTest.writeDrop(dir.resolve("drop"), "42", TOKENS);
        AtomicInteger writes = new AtomicInteger();
        AtomicReference<Thread> runner = new AtomicReference<>();
        CountDownLatch never = new CountDownLatch(1);
        RenderStage.OutputWriter interrupting =
                (target, data) -> {
                    int n = writes.incrementAndGet();
                    if (n > 9) {
                        // After the interrupt the disk hangs, as a real one may, until the stop
                        // interrupts the writer; then it fails the way FileChannel does.
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("write of " + target + " cut short");
                        }
                    }
                    AtomicFiles.writeUnsynced(target, data);
                    if (n == 9) {
                        runner.get().interrupt();
                    }
                };
        Run run = new Run(spec, 2, interrupting);
        runner.set(run.thread);
        run.start();
        run.thread.join();

        assertThat(run.failure.get())
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("interrupted");
        assertThat(run.stillInterrupted.get()).as("the interrupt status is kept").isTrue();
        int recorded = assertEveryRecordNamesItsDurableFiles(spec);
        assertThat(recorded).isEqualTo(run.recorded.get()).isLessThanOrEqualTo(9 / 2);

        Run rerun = new Run(spec, 2, AtomicFiles::writeUnsynced);
        rerun.start();
        rerun.thread.join();
        assertThat(rerun.failure.get()).isNull();
        assertThat(rerun.report.get().rendered()).isEqualTo(TOKENS - recorded);
        assertSameBytesAsAnUndisturbedRender(spec);
    }

    @Test
    void aCrashMidBatchLosesNoRecordAndARerunRedoesTheRestByteIdentically() throws Exception {
        Path spec = RenderStageTest.writeDrop(dir.resolve("drop"), "42", TOKENS);
        AtomicInteger writes = new AtomicInteger();
        AtomicLong victim = new AtomicLong(-1);
        RenderStage.OutputWriter crashing =
                (target, data) -> {
                    AtomicFiles.writeUnsynced(target, data);
                    if (writes.incrementAndGet() == 7) {
                        // The file is in place but the run dies before recording it.
                        String name = target.getFileName().toString();
                        victim.set(Long.parseLong(name.substring(0, name.indexOf('.'))));
                        throw new IOException("No space left on device (simulated)");
                    }
                };
        Run run = new Run(spec, 2, crashing);
        run.start();
        run.thread.join();

        assertThat(run.failure.get())
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("token " + victim.get())
                .hasMessageContaining("No space left on device");
        assertThat(((RenderException) run.failure.get()).tokenId()).isEqualTo(victim.get());
        int recorded = assertEveryRecordNamesItsDurableFiles(spec);
        assertThat(recorded).isLessThan(TOKENS);
        try (DropStore store = DropStore.open(dir.resolve("drop/out/drop.db"))) {
            assertThat(store.stageRecord(victim.get(), RenderStage.STAGE)).isEmpty();
        }

        Run rerun = new Run(spec, 1, AtomicFiles::writeUnsynced);
        rerun.start();
        rerun.thread.join();
        assertThat(rerun.failure.get()).isNull();
        assertThat(rerun.report.get().rendered()).isEqualTo(TOKENS - recorded);
        assertEveryRecordNamesItsDurableFiles(spec);
        assertSameBytesAsAnUndisturbedRender(spec);
    }

    @Test
    void aFailingBackendNamesItsBatchAndKeepsWhatWasWritten() throws Exception {
        Path spec = RenderStageTest.writeDrop(dir.resolve("drop"), "42", TOKENS);
        Run run = new Run(spec, 2, AtomicFiles::writeUnsynced);
        run.failAtToken = 14;
        run.start();
        run.thread.join();
        assertThat(run.failure.get())
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("device lost (simulated)")
                .hasMessageContaining("rendering the batch of tokens");
        long named = ((RenderException) run.failure.get()).tokenId();
        assertThat(named)
                .as("the first token of the failing batch")
                .isBetween(15L - run.batchSize(), 14L);
        assertThat(run.failure.get())
                .hasMessageContaining("tokens " + named + ".." + (named + run.batchSize() - 1));
        int recorded = assertEveryRecordNamesItsDurableFiles(spec);
        assertThat(recorded).isEqualTo(run.recorded.get()).isLessThan(TOKENS);
    }

    /** Waits until every thread of the stream, and the stage's own thread, is parked. */
    private static void awaitEveryStreamThreadParked(Thread stage) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!parked(stage)) {
            assertThat(System.nanoTime()).as("the stream never settled").isLessThan(deadline);
            Thread.yield();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static boolean parked(Thread stage) {
        if (stage.getState() != Thread.State.WAITING) {
            return false;
        }
        Set<Thread> all = Thread.getAllStackTraces().keySet();
        boolean any = false;
        for (Thread t : all) {
            if (t.getName().startsWith("serigraph-render-") && t.isAlive()) {
                any = true;
                if (t.getState() != Thread.State.WAITING) {
                    return false;
                }
            }
        }
        return any;
    }

    /** Every render record's image has the recorded size and SHA-256; returns the count. */
    private int assertEveryRecordNamesItsDurableFiles(Path spec) throws Exception {
        Path out = spec.getParent().resolve("out");
        try (DropStore store = DropStore.open(out.resolve("drop.db"))) {
            Map<Long, StageRecord> records = store.stageRecords(RenderStage.STAGE);
            for (StageRecord r : records.values()) {
                Path image = out.resolve("images").resolve(r.tokenId() + ".png");
                byte[] bytes = Files.readAllBytes(image);
                assertThat(bytes.length).as(image.toString()).isEqualTo(r.outputBytes());
                assertThat(Hashes.sha256Hex(bytes))
                        .as(image.toString())
                        .isEqualTo(r.outputSha256());
                assertThat(out.resolve("metadata").resolve(r.tokenId() + ".json")).exists();
            }
            return records.size();
        }
    }

    /** The drop's files equal, byte for byte, those of a fresh render of the same spec. */
    private void assertSameBytesAsAnUndisturbedRender(Path spec) throws Exception {
        Path clean = RenderStageTest.writeDrop(dir.resolve("clean"), "42", TOKENS);
        Run reference = new Run(clean, 2, AtomicFiles::writeUnsynced);
        reference.start();
        reference.thread.join();
        assertThat(reference.failure.get()).isNull();
        for (String sub : List.of("images", "metadata")) {
            List<Path> expected =
                    RenderStageTest.files(clean.getParent().resolve("out").resolve(sub));
            List<Path> actual = RenderStageTest.files(spec.getParent().resolve("out").resolve(sub));
            assertThat(actual).hasSameSizeAs(expected).hasSize(TOKENS);
            for (Path f : expected) {
                Path twin = spec.getParent().resolve("out").resolve(sub).resolve(f.getFileName());
                assertThat(Files.readAllBytes(twin))
                        .as(twin.toString())
                        .isEqualTo(Files.readAllBytes(f));
            }
        }
        try (Stream<Path> s = Files.list(spec.getParent().resolve("out/images"))) {
            assertThat(s.filter(p -> p.toString().endsWith(AtomicFiles.TEMP_SUFFIX))).isEmpty();
        }
    }

    /**
     * One run of the stage on its own thread, through {@code writer}, counting the tokens handed to
     * the backend and those recorded.
     */
    private static final class Run {
        /** Few enough writers that a stuck disk stops the stream before the 27 tokens are done. */
        static final int WRITERS = 4;

        final Path spec;
        final int threads;
        final RenderStage.OutputWriter writer;
        final AtomicInteger rendered = new AtomicInteger();
        final AtomicInteger recorded = new AtomicInteger();
        final AtomicReference<RenderStage.Report> report = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicReference<Boolean> stillInterrupted = new AtomicReference<>(false);
        final AtomicReference<Integer> batch = new AtomicReference<>();
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread thread = new Thread(this::run, "test-render-stage");
        long failAtToken = -1;

        Run(Path spec, int threads, RenderStage.OutputWriter writer) {
            this.spec = spec;
            this.threads = threads;
            this.writer = writer;
        }

        void start() throws InterruptedException {
            thread.start();
            ready.await();
        }

        int batchSize() {
            return batch.get();
        }

        private void run() {
            try {
                CollectionSpec s = SpecLoader.load(spec);
                TraitLibrary library = TraitLibrary.load(s, threads);
                Plan plan = new Planner().plan(s);
                try (DropStore store = DropStore.open(s.outDir().resolve("drop.db"));
                        RenderBackend local =
                                new LocalRenderBackend(s, library, DeviceSetting.JAVA);
                        RenderBackend counting = new Counting(local)) {
                    batch.set(counting.batchSize());
                    ready.countDown();
                    report.set(
                            new RenderStage(s, store, writer, WRITERS)
                                    .run(
                                            plan,
                                            library,
                                            counting,
                                            new RenderStage.Options(threads, false, "test"),
                                            new RenderStage.Listener() {
                                                @Override
                                                public void begin(int total, int toRender) {}

                                                @Override
                                                public void rendered(long tokenId, long bytes) {
                                                    recorded.incrementAndGet();
                                                }
                                            }));
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                ready.countDown();
            }
        }

        /** The local backend, counting tokens and failing at {@link #failAtToken}. */
        private final class Counting implements RenderBackend {
            private final RenderBackend delegate;

            Counting(RenderBackend delegate) {
                this.delegate = delegate;
            }

            @Override
            public void renderBatch(List<PlannedToken> tokens, int[] oneOfOnes, byte[][] out)
                    throws Exception {
                for (PlannedToken t : tokens) {
                    if (t.id() == failAtToken) {
                        throw new IllegalStateException("device lost (simulated)");
                    }
                }
                rendered.addAndGet(tokens.size());
                delegate.renderBatch(tokens, oneOfOnes, out);
            }

            @Override
            public int batchSize() {
                return delegate.batchSize();
            }

            @Override
            public byte[] render(PlannedToken token) throws Exception {
                throw new AssertionError("the stage renders in batches");
            }

            @Override
            public byte[] renderOneOfOne(int j) throws Exception {
                throw new AssertionError("the stage renders in batches");
            }

            @Override
            public String version() {
                return delegate.version();
            }

            @Override
            public String device() {
                return delegate.device();
            }

            @Override
            public void close() {}
        }
    }
}
