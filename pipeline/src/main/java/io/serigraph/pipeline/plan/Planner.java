package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.Feasibility;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.SpecProblem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic weighted trait planner. {@link #plan(CollectionSpec)} gives every token of a
 * collection its traits, weighted by the exact decimal weights of the spec, with every token's DNA
 * unique. The result is a pure function of the spec's {@linkplain PlanHash plan hash}, its seed and
 * the token ids, and does not depend on the number of threads. The algorithm is specified in {@code
 * docs/determinism.md}; changing anything it specifies requires a new {@link #ALGORITHM_VERSION}.
 *
 * <p>Token {@code i} is drawn from SplitMix64 streams keyed by (plan hash, seed, {@code i}); when
 * its DNA is already taken by an earlier token it is re-drawn with the next attempt number, and
 * after {@link #MAX_DRAWS} draws the next unused combination is found by a deterministic scan.
 *
 * <p>The seed is secret: it never appears in logs or exception messages.
 */
public final class Planner {
    /** Version of the planning algorithm; part of every token's lineage. */
    public static final int ALGORITHM_VERSION = 1;

    /** Draws per token (attempts {@code 0 .. MAX_DRAWS - 1}) before the scan takes over. */
    public static final int MAX_DRAWS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

    /** Tokens per parallel work unit of first draws. */
    private static final int CHUNK = 1 << 14;

    private final int threads;
    private final int scanIndexMax;

    /** A planner that draws first attempts on up to as many threads as there are processors. */
    public Planner() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads threads for the first draws (at least 1); the plan is the same for any number
     */
    public Planner(int threads) {
        this(threads, Combinations.INDEXED_MAX);
    }

    /** For tests: {@code scanIndexMax} bounds the combinations the scan indexes (same result). */
    Planner(int threads, int scanIndexMax) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
        this.scanIndexMax = scanIndexMax;
    }

    /**
     * Plans every token of {@code spec}.
     *
     * @throws PlanException when the spec cannot be planned (the message says what to fix)
     */
    public Plan plan(CollectionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        long started = System.nanoTime();
        if (spec.seed() == null) {
            throw new PlanException("the spec has no seed");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(spec.seed())) {
            throw new PlanException("the seed is not valid Unicode (unpaired surrogate)");
        }
        if (spec.layers().isEmpty()) {
            throw new PlanException("the collection has no layers");
        }
        int size = spec.size();
        if (size < 0) {
            throw new PlanException("size must not be negative: " + size);
        }
        long startId = spec.startId();
        if (size > 0 && startId > Long.MAX_VALUE - (size - 1)) {
            throw new PlanException(
                    "token ids overflow: start id " + startId + " plus size " + size);
        }
        byte[] hash = PlanHash.of(spec); // also checks names and weights
        List<LayerSpec> layers = spec.layers();
        WeightedLayer[] weighted = new WeightedLayer[layers.size()];
        int maxTraits = 0;
        for (int l = 0; l < weighted.length; l++) {
            weighted[l] = WeightedLayer.of(layers.get(l));
            maxTraits = Math.max(maxTraits, layers.get(l).traits().size());
        }
        if (spec.constrained()) {
            return planConstrained(spec, hash, weighted, started);
        }
        BigInteger combinations = SpecLoader.combinations(layers);
        if (BigInteger.valueOf(size).compareTo(combinations) > 0) {
            throw new PlanException(
                    "size "
                            + size
                            + " exceeds the "
                            + combinations
                            + " unique trait combinations of the layers; lower the size or add"
                            + " traits");
        }

        TokenKey key = TokenKey.derive(hash, spec.seed());
        ChoiceTable table = new ChoiceTable(size, weighted.length, maxTraits);
        Run run = new Run(key, weighted, table, startId);
        drawFirstAttempts(run, size);
        int redrawn = 0;
        int scanned = 0;
        DnaSet taken = new DnaSet(table, size);
        Combinations scan =
                new Combinations(
                        weighted,
                        table,
                        taken,
                        combinations.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(),
                        scanIndexMax);
        Drawer drawer = run.drawer();
        for (int row = 0; row < size; row++) {
            if (!taken.add(row)) {
                redrawn++;
                if (!redraw(drawer, taken, row)) {
                    scanned++;
                    scan.nextUnusedAfter(row, row);
                }
            }
            scan.used(row);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "planned {} tokens, plan hash {}: {} re-drawn, {} by scan, {} ms",
                    size,
                    HexFormat.of().formatHex(hash),
                    redrawn,
                    scanned,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return new Plan(hash, startId, size, layers, table);
    }

    /**
     * Specs with rules, quotas or one-of-ones: {@code docs/planner.md}. Feasibility is checked
     * first (the loader does it too), so an impossible spec is refused before any token is drawn.
     */
    private Plan planConstrained(
            CollectionSpec spec, byte[] hash, WeightedLayer[] weighted, long started) {
        List<SpecProblem> problems = Feasibility.problems(spec, 0);
        if (!problems.isEmpty()) {
            throw new PlanException(
                    problems.stream()
                            .map(p -> p.format(spec.file().getFileName().toString()))
                            .collect(java.util.stream.Collectors.joining("\n")));
        }
        Plan plan =
                new ConstrainedPlanner(
                                spec,
                                weighted,
                                TokenKey.derive(hash, spec.seed()),
                                scanIndexMax,
                                threads)
                        .plan(hash);
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "planned {} tokens with rules/quotas, plan hash {}: {} ms",
                    spec.size(),
                    HexFormat.of().formatHex(hash),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return plan;
    }

    /** Attempt 0 of every token; tokens are independent here, so any split gives the same table. */
    private void drawFirstAttempts(Run run, int size) {
        int chunks = (size + CHUNK - 1) / CHUNK;
        int workers = Math.min(threads, chunks);
        if (workers <= 1) {
            Drawer drawer = run.drawer();
            for (int row = 0; row < size; row++) {
                drawer.draw(row, 0);
            }
            return;
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        workers,
                        r -> {
                            Thread t = new Thread(r, "serigraph-planner");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<Future<?>> futures = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                int from = c * CHUNK;
                int to = Math.min(size, from + CHUNK);
                futures.add(
                        pool.submit(
                                () -> {
                                    Drawer drawer = run.drawer();
                                    for (int row = from; row < to; row++) {
                                        drawer.draw(row, 0);
                                    }
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("planning was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Attempts 1 .. MAX_DRAWS-1; true when one gives an unused DNA (then added). */
    private static boolean redraw(Drawer drawer, DnaSet taken, int row) {
        for (int attempt = 1; attempt < MAX_DRAWS; attempt++) {
            drawer.draw(row, attempt);
            if (taken.add(row)) {
                return true;
            }
        }
        return false;
    }

    /** What every drawer shares. */
    private record Run(TokenKey key, WeightedLayer[] weighted, ChoiceTable table, long startId) {
        Drawer drawer() {
            return new Drawer(this);
        }
    }

    /** One thread's reusable state for drawing token streams. */
    private static final class Drawer {
        private final Run run;
        private final MessageDigest sha = PlanHash.sha256();
        private final byte[] scratch = new byte[12];
        private final SplitMix64 rng = new SplitMix64(0);

        Drawer(Run run) {
            this.run = run;
        }

        /** Writes the combination drawn from the stream of (token at {@code row}, attempt). */
        void draw(int row, int attempt) {
            rng.reseed(run.key.streamSeed(sha, scratch, run.startId + row, attempt));
            WeightedLayer[] weighted = run.weighted;
            for (int l = 0; l < weighted.length; l++) {
                run.table.set(row, l, weighted[l].draw(rng));
            }
        }
    }
}
