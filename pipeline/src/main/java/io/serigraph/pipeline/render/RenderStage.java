package io.serigraph.pipeline.render;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.AtomicFiles;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.Hashes;
import io.serigraph.pipeline.store.StageRecord;
import io.serigraph.pipeline.store.TokenRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The render stage: every planned token to {@code out/images/<id>.png} and {@code
 * out/metadata/<id>.json}, on all cores. Idempotent and resumable: a token's files are written
 * atomically and durably, then its lineage is recorded; a rerun skips tokens whose recorded lineage
 * still matches and whose files are present, and redoes the rest. Killing it anywhere loses at most
 * the tokens in flight, and redoing them gives the same bytes.
 */
public final class RenderStage {
    /** The stage name in the state store. */
    public static final String STAGE = "render";

    /** Version of the lineage record's format. */
    public static final int LINEAGE_VERSION = 1;

    /**
     * @param threads rendering threads (at least 1)
     * @param force re-render every token even when its lineage matches
     * @param actor who runs it, for the audit log
     */
    public record Options(int threads, boolean force, String actor) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
        }
    }

    /** Progress callbacks, called from rendering threads. */
    public interface Listener {
        void begin(int total, int toRender);

        void rendered(long tokenId, long bytes);
    }

    /** What a run did. */
    public record Report(
            int total,
            int rendered,
            int skipped,
            long bytesWritten,
            Duration elapsed,
            String device) {}

    private final CollectionSpec spec;
    private final DropStore store;

    public RenderStage(CollectionSpec spec, DropStore store) {
        this.spec = spec;
        this.store = store;
    }

    public Path imagesDir() {
        return spec.outDir().resolve("images");
    }

    public Path metadataDir() {
        return spec.outDir().resolve("metadata");
    }

    /** Renders {@code plan} with {@code backend}. */
    public Report run(
            Plan plan,
            TraitLibrary library,
            RenderBackend backend,
            Options options,
            Listener listener)
            throws RenderException, IOException {
        long start = System.nanoTime();
        Files.createDirectories(imagesDir());
        Files.createDirectories(metadataDir());
        AtomicFiles.removeStrayTemporaries(imagesDir());
        AtomicFiles.removeStrayTemporaries(metadataDir());

        String specHash = Hashes.sha256Hex(Files.readAllBytes(spec.file()));
        if (!store.meta("spec_hash").filter(specHash::equals).isPresent()) {
            store.putMeta("spec_hash", specHash);
            store.appendAudit(
                    options.actor(),
                    "spec.loaded",
                    TokenMetadata.compact(
                            Map.of("spec_hash", specHash, "file", spec.file().toString())));
        }

        List<PlannedToken> tokens = plan.tokens();
        List<TokenRow> rows = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            PlannedToken t = tokens.get(i);
            int one = oneOfOneIndex(spec, plan, i);
            // A one-of-one is outside generative uniqueness: its DNA names it, not its traits.
            String dna = one < 0 ? t.dna() : "one-of-one:" + one;
            rows.add(
                    new TokenRow(
                            t.id(), dna, TokenMetadata.compact(TokenMetadata.attributes(plan, i))));
        }
        if (store.syncPlan(plan.hash(), rows)) {
            store.appendAudit(
                    options.actor(),
                    "plan.stored",
                    TokenMetadata.compact(
                            Map.of("plan_hash", plan.hash(), "tokens", tokens.size())));
        }

        Map<Long, StageRecord> done = store.stageRecords(STAGE);
        List<Job> todo = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            PlannedToken t = tokens.get(i);
            int one = oneOfOneIndex(spec, plan, i);
            byte[] metadata = TokenMetadata.json(spec, plan, i);
            String lineage = lineage(library, backend, t, one, metadata);
            StageRecord r = done.get(t.id());
            if (options.force()
                    || r == null
                    || !r.lineageHash().equals(lineage)
                    || !present(t, r)) {
                todo.add(new Job(t, one, metadata, lineage));
            }
        }
        listener.begin(tokens.size(), todo.size());
        Map<String, Object> startEvent = new LinkedHashMap<>();
        startEvent.put("tokens", tokens.size());
        startEvent.put("to_render", todo.size());
        startEvent.put("force", options.force());
        startEvent.put("threads", options.threads());
        startEvent.put("device", backend.device());
        startEvent.put("renderer", backend.version());
        store.appendAudit(options.actor(), "render.start", TokenMetadata.compact(startEvent));

        long bytes = renderAll(todo, backend, options.threads(), listener);

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Object> doneEvent = new LinkedHashMap<>();
        doneEvent.put("rendered", todo.size());
        doneEvent.put("skipped", tokens.size() - todo.size());
        doneEvent.put("bytes", bytes);
        store.appendAudit(options.actor(), "render.done", TokenMetadata.compact(doneEvent));
        return new Report(
                tokens.size(),
                todo.size(),
                tokens.size() - todo.size(),
                bytes,
                elapsed,
                backend.device());
    }

    /**
     * @param oneOfOne index into the spec's one-of-ones, or -1 for a generative token
     */
    private record Job(PlannedToken token, int oneOfOne, byte[] metadata, String lineage) {}

    /** The spec's one-of-one index of the token at 0-based position {@code index}, or -1. */
    public static int oneOfOneIndex(CollectionSpec spec, Plan plan, int index) {
        return plan.oneOfOne(index).map(spec.oneOfOnes()::indexOf).orElse(-1);
    }

    private long renderAll(List<Job> todo, RenderBackend backend, int threads, Listener listener)
            throws RenderException {
        if (todo.isEmpty()) {
            return 0;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        int n = Math.min(threads, todo.size());
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<Long>> workers = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            workers.add(
                    pool.submit(
                            () -> {
                                long written = 0;
                                for (int i = next.getAndIncrement();
                                        i < todo.size() && !failed.get();
                                        i = next.getAndIncrement()) {
                                    Job job = todo.get(i);
                                    try {
                                        written += renderOne(job, backend);
                                    } catch (Exception e) {
                                        failed.set(true);
                                        throw new RenderException(job.token().id(), describe(e), e);
                                    }
                                    listener.rendered(job.token().id(), written);
                                }
                                return written;
                            }));
        }
        pool.shutdown();
        long total = 0;
        RenderException first = null;
        for (Future<Long> f : workers) {
            try {
                total += f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first =
                            e.getCause() instanceof RenderException re
                                    ? re
                                    : new RenderException(-1, describe(e.getCause()), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.set(true);
                pool.shutdownNow();
                throw new RenderException(-1, "interrupted", e);
            }
        }
        if (first != null) {
            throw first;
        }
        return total;
    }

    private long renderOne(Job job, RenderBackend backend) throws Exception {
        long id = job.token().id();
        byte[] png =
                job.oneOfOne() < 0
                        ? backend.render(job.token())
                        : backend.renderOneOfOne(job.oneOfOne());
        Path image = imagesDir().resolve(id + ".png");
        Path metadata = metadataDir().resolve(id + ".json");
        AtomicFiles.writeUnsynced(image, png);
        AtomicFiles.writeUnsynced(metadata, job.metadata());
        AtomicFiles.forceDirectory(imagesDir());
        AtomicFiles.forceDirectory(metadataDir());
        store.recordStage(
                new StageRecord(id, STAGE, job.lineage(), Hashes.sha256Hex(png), png.length));
        return png.length + (long) job.metadata().length;
    }

    private boolean present(PlannedToken t, StageRecord r) {
        try {
            Path image = imagesDir().resolve(t.id() + ".png");
            return Files.size(image) == r.outputBytes()
                    && Files.exists(metadataDir().resolve(t.id() + ".json"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The token's render lineage: SHA-256 of the compact canonical JSON {@code {"lineage": 1,
     * "renderer": <backend version>, "traits": [[layer index, trait index, sha256 of the file],
     * ...], "metadata_sha256": <sha256 of the metadata bytes>}} (traits bottom to top, none left
     * out). A one-of-one's traits are {@code [["one_of_one", <index>, <sha256 of its image>]]}.
     */
    public static String lineage(
            TraitLibrary library,
            RenderBackend backend,
            PlannedToken token,
            int oneOfOne,
            byte[] metadata) {
        return Hashes.sha256Hex(lineageRecord(library, backend, token, oneOfOne, metadata));
    }

    /** The canonical lineage record whose SHA-256 is {@link #lineage}. */
    public static String lineageRecord(
            TraitLibrary library,
            RenderBackend backend,
            PlannedToken token,
            int oneOfOne,
            byte[] metadata) {
        List<List<String>> traits = new ArrayList<>();
        if (oneOfOne >= 0) {
            traits.add(
                    List.of(
                            "one_of_one",
                            Integer.toString(oneOfOne),
                            library.oneOfOneSha256(oneOfOne)));
        } else {
            int[] choice = token.choices();
            for (int l = 0; l < choice.length; l++) {
                if (choice[l] >= 0) {
                    traits.add(
                            List.of(
                                    Integer.toString(l),
                                    Integer.toString(choice[l]),
                                    library.sha256(l, choice[l])));
                }
            }
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("lineage", LINEAGE_VERSION);
        record.put("renderer", backend.version());
        record.put("traits", traits);
        record.put("metadata_sha256", Hashes.sha256Hex(metadata));
        return TokenMetadata.compact(record);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
