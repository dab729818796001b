package io.serigraph.pipeline.render;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.AtomicFiles;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.DurableWrites;
import io.serigraph.pipeline.store.Hashes;
import io.serigraph.pipeline.store.StageRecord;
import io.serigraph.pipeline.store.TokenRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The render stage: every planned token to {@code out/images/<id>.png} and {@code
 * out/metadata/<id>.json}, on all cores, streamed through a {@link RenderPipeline} whose bounded
 * queues keep memory flat whatever the collection size. Idempotent and resumable: a token's files
 * are written atomically and durably, then its lineage is recorded (many tokens per store
 * transaction); a rerun skips tokens whose recorded lineage still matches and whose files are
 * present, and redoes the rest. Killing it anywhere loses at most the tokens in flight, and redoing
 * them gives the same bytes.
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

    /**
     * Progress callbacks, called from the thread that runs the stage, {@link #rendered} once a
     * token's files are durable and recorded.
     */
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

    /**
     * Puts one finished file in place, atomically, durable once the run's {@link DurableWrites}
     * commit; tests put a slow or failing disk here.
     */
    interface OutputWriter {
        void write(Path target, byte[] data) throws IOException;
    }

    private final CollectionSpec spec;
    private final DropStore store;
    private final OutputWriter writer;
    private final int writers;

    /** The run's durable writes, open while it renders. */
    private DurableWrites durable;

    public RenderStage(CollectionSpec spec, DropStore store) {
        this(spec, store, null, 0);
    }

    /**
     * A stage writing through {@code writer} ({@code null}: the run's {@link DurableWrites}) on
     * {@code writers} writer threads (0: {@link RenderPipeline#writers(int) the default} for the
     * thread count).
     */
    RenderStage(CollectionSpec spec, DropStore store, OutputWriter writer, int writers) {
        this.spec = spec;
        this.store = store;
        this.writer = writer;
        this.writers = writers;
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

        if (store.syncPlan(plan.hash(), () -> new TokenRows(plan))) {
            store.appendAudit(
                    options.actor(),
                    "plan.stored",
                    TokenMetadata.compact(Map.of("plan_hash", plan.hash(), "tokens", plan.size())));
        }

        BitSet todo = toRender(plan, library, backend, options.force());
        int count = todo.cardinality();
        listener.begin(plan.size(), count);
        Map<String, Object> startEvent = new LinkedHashMap<>();
        startEvent.put("tokens", plan.size());
        startEvent.put("to_render", count);
        startEvent.put("force", options.force());
        startEvent.put("threads", options.threads());
        startEvent.put("device", backend.device());
        startEvent.put("renderer", backend.version());
        store.appendAudit(options.actor(), "render.start", TokenMetadata.compact(startEvent));

        long bytes = 0;
        if (count > 0) {
            try (DurableWrites d = DurableWrites.open(List.of(imagesDir(), metadataDir()))) {
                durable = d;
                bytes =
                        new RenderPipeline(
                                        this,
                                        plan,
                                        library,
                                        backend,
                                        options.threads(),
                                        writers > 0
                                                ? writers
                                                : RenderPipeline.writers(options.threads()),
                                        listener)
                                .run(todo, count);
            } finally {
                durable = null;
            }
        }

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Object> doneEvent = new LinkedHashMap<>();
        doneEvent.put("rendered", count);
        doneEvent.put("skipped", plan.size() - count);
        doneEvent.put("bytes", bytes);
        store.appendAudit(options.actor(), "render.done", TokenMetadata.compact(doneEvent));
        return new Report(
                plan.size(), count, plan.size() - count, bytes, elapsed, backend.device());
    }

    /** Token ids per window when comparing the plan with the recorded results. */
    private static final int WINDOW = 4096;

    /**
     * Positions of the tokens to render: those without a recorded result, whose recorded lineage no
     * longer matches, or whose files are gone; all of them with {@code force}. Reads the recorded
     * results one id window at a time, so nothing per token is held but one bit.
     */
    private BitSet toRender(Plan plan, TraitLibrary library, RenderBackend backend, boolean force) {
        BitSet todo = new BitSet(plan.size());
        for (int from = 0; from < plan.size(); from += WINDOW) {
            int to = Math.min(plan.size(), from + WINDOW);
            Map<Long, StageRecord> done =
                    force
                            ? Map.of()
                            : store.stageRecords(STAGE, plan.startId() + from, plan.startId() + to);
            for (int i = from; i < to; i++) {
                StageRecord r = done.get(plan.startId() + i);
                if (r == null
                        || !r.lineageHash().equals(job(plan, library, backend, i).lineage())
                        || !present(r)) {
                    todo.set(i);
                }
            }
        }
        return todo;
    }

    /** The render job of the token at 0-based position {@code index}. */
    Job job(Plan plan, TraitLibrary library, RenderBackend backend, int index) {
        PlannedToken t = plan.get(index);
        int one = oneOfOneIndex(spec, plan, index);
        byte[] metadata = TokenMetadata.json(spec, plan, index);
        return new Job(t, one, metadata, lineage(library, backend, t, one, metadata));
    }

    /**
     * @param oneOfOne index into the spec's one-of-ones, or -1 for a generative token
     */
    record Job(PlannedToken token, int oneOfOne, byte[] metadata, String lineage) {}

    /** The plan's token rows for the store, made one at a time as the store reads them. */
    private final class TokenRows implements Iterator<TokenRow> {
        private final Plan plan;
        private int next;

        TokenRows(Plan plan) {
            this.plan = plan;
        }

        @Override
        public boolean hasNext() {
            return next < plan.size();
        }

        @Override
        public TokenRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = next++;
            PlannedToken t = plan.get(i);
            int one = oneOfOneIndex(spec, plan, i);
            // A one-of-one is outside generative uniqueness: its DNA names it, not its traits.
            String dna = one < 0 ? t.dna() : "one-of-one:" + one;
            return new TokenRow(
                    t.id(), dna, TokenMetadata.compact(TokenMetadata.attributes(plan, i)));
        }
    }

    /** The spec's one-of-one index of the token at 0-based position {@code index}, or -1. */
    public static int oneOfOneIndex(CollectionSpec spec, Plan plan, int index) {
        return plan.oneOfOne(index).map(spec.oneOfOnes()::indexOf).orElse(-1);
    }

    /** Writes a finished token's image and metadata (durable at the next {@link #commit}). */
    long write(Job job, byte[] png) throws IOException {
        long id = job.token().id();
        OutputWriter w = writer != null ? writer : durable::write;
        w.write(imagesDir().resolve(id + ".png"), png);
        w.write(metadataDir().resolve(id + ".json"), job.metadata());
        return png.length + (long) job.metadata().length;
    }

    /**
     * Records written tokens in one store transaction, after the run's {@link DurableWrites}
     * commit, so that every file a record names is durable before the record is.
     */
    void commit(List<StageRecord> records) throws IOException {
        durable.commit();
        store.recordStages(records);
    }

    private boolean present(StageRecord r) {
        try {
            Path image = imagesDir().resolve(r.tokenId() + ".png");
            return Files.size(image) == r.outputBytes()
                    && Files.exists(metadataDir().resolve(r.tokenId() + ".json"));
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

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
