package io.serigraph.grpc.server;

import io.serigraph.inference.batch.BatchPolicy;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.score.AestheticScorer;
import io.serigraph.inference.score.ScoringModel;
import io.serigraph.inference.store.LoadedModel;
import io.serigraph.inference.store.ModelManifest;
import io.serigraph.inference.store.ModelStore;
import io.serigraph.inference.store.ModelStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a node serves from its {@link ModelStore}: CLIP models and aesthetic heads, each
 * loaded on first use and kept (with its batcher) for the node's life, so every call on the same
 * model shares one batcher. A request names a model as {@code <name>/<version>} or leaves it empty
 * for the node's default. Thread-safe; closing releases every model and the store.
 */
public final class InferenceModels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InferenceModels.class);

    /** The node's default CLIP model, the tiny one shipped as the inference module's fixture. */
    public static final String DEFAULT_CLIP = "clip-tiny/1";

    /** The node's default aesthetic head (scores {@link #DEFAULT_CLIP} embeddings). */
    public static final String DEFAULT_AESTHETIC = "aesthetic-tiny/1";

    private final ModelStore store;
    private final String defaultClip;
    private final String defaultAesthetic;
    private final Map<String, ClipModel> clips = new HashMap<>();
    private final Map<String, AestheticScorer> heads = new HashMap<>();
    private boolean closed;

    private InferenceModels(ModelStore store, String defaultClip, String defaultAesthetic) {
        this.store = store;
        this.defaultClip = defaultClip;
        this.defaultAesthetic = defaultAesthetic;
    }

    /**
     * Serves the store at {@code root} with the given defaults ({@code <name>/<version>}).
     *
     * @throws IllegalArgumentException when {@code root} is not a directory or a default is not
     *     written {@code <name>/<version>}
     */
    public static InferenceModels open(Path root, String defaultClip, String defaultAesthetic) {
        return open(root, defaultClip, defaultAesthetic, BatchPolicy.DEFAULT);
    }

    /** As {@link #open(Path, String, String)}, every model batching with {@code policy}. */
    public static InferenceModels open(
            Path root, String defaultClip, String defaultAesthetic, BatchPolicy policy) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("model store " + root + " is not a directory");
        }
        split(defaultClip);
        split(defaultAesthetic);
        return new InferenceModels(
                ModelStore.builder(root).optBatchPolicy(policy).build(),
                defaultClip,
                defaultAesthetic);
    }

    /**
     * Serves the store at {@code root} with the scoring model {@code name} picks as its defaults
     * ({@link ScoringModel#DEFAULT}: the best installed, {@code FAMILY} or {@code FAMILY/VERSION}),
     * the CLIP model and its family's aesthetic head, as {@code serigraph score} and the QC checks
     * pick them. Without a head for that family, Score needs {@code aesthetic_model}.
     *
     * @throws ModelStoreException when no such model is installed (the message lists what is)
     */
    public static InferenceModels open(Path root, String name, BatchPolicy policy)
            throws ModelStoreException {
        ModelStore store = ModelStore.builder(root).optBatchPolicy(policy).build();
        try {
            ScoringModel.Choice choice = ScoringModel.choose(store, name);
            return new InferenceModels(store, choice.clip(), choice.aestheticHead());
        } catch (ModelStoreException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** {@code <name>/<version>} as its two parts. */
    static List<String> split(String ref) {
        int slash = ref.indexOf('/');
        if (slash <= 0 || slash == ref.length() - 1 || ref.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(
                    "model '"
                            + ref
                            + "' must be written <name>/<version>, e.g. clip-vit-b-32/openai");
        }
        return List.of(ref.substring(0, slash), ref.substring(slash + 1));
    }

    /** The CLIP model {@code ref} ({@code <family>/<version>}; empty: the default). */
    public ClipModel clip(String ref) throws ModelStoreException {
        String id = ref.isEmpty() ? defaultClip : ref;
        List<String> parts = split(id);
        synchronized (this) {
            checkOpen();
            ClipModel clip = clips.get(id);
            if (clip == null) {
                requirePresent(id, parts.get(0) + "-image", parts.get(1));
                requirePresent(id, parts.get(0) + "-text", parts.get(1));
                clip = ClipModel.load(store, parts.get(0), parts.get(1));
                clips.put(id, clip);
                log.info("serving CLIP model {} on {}", id, clip.imageEncoder().device());
            }
            return clip;
        }
    }

    /** The aesthetic head {@code ref} ({@code <name>/<version>}; empty: the default). */
    public AestheticScorer aesthetic(String ref) throws ModelStoreException {
        if (ref.isEmpty() && defaultAesthetic == null) {
            throw new ModelNotFoundException(
                    "",
                    "the node has no aesthetic head for "
                            + defaultClip
                            + ": name one in aesthetic_model");
        }
        String id = ref.isEmpty() ? defaultAesthetic : ref;
        List<String> parts = split(id);
        synchronized (this) {
            checkOpen();
            AestheticScorer head = heads.get(id);
            if (head == null) {
                requirePresent(id, parts.get(0), parts.get(1));
                head = AestheticScorer.load(store, parts.get(0), parts.get(1));
                heads.put(id, head);
                log.info("serving aesthetic head {} on {}", id, head.model().device());
            }
            return head;
        }
    }

    /** Whether a request may leave the aesthetic head empty (the store has one for the default). */
    boolean hasDefaultAesthetic() {
        return defaultAesthetic != null;
    }

    /** The default CLIP model and aesthetic head, for the log: which models answer. */
    public String defaults() {
        return defaultClip
                + (defaultAesthetic == null
                        ? " (no aesthetic head for it installed)"
                        : " with aesthetic head " + defaultAesthetic);
    }

    /** How many samples may wait in one model's batcher. */
    int queueCapacity() {
        return store.batchPolicy().queueCapacity();
    }

    /** The id a request's {@code ref} resolves to. */
    String clipId(String ref) {
        return ref.isEmpty() ? defaultClip : ref;
    }

    String aestheticId(String ref) {
        return ref.isEmpty() ? defaultAesthetic : ref;
    }

    private void requirePresent(String id, String name, String version) {
        if (!Files.isRegularFile(store.directory(name, version).resolve(ModelManifest.FILE_NAME))) {
            throw new ModelNotFoundException(
                    id,
                    "the node's model store has no "
                            + name
                            + "/"
                            + version
                            + " (model "
                            + id
                            + ")");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the node's models are closed");
        }
    }

    /** Every model loaded so far, for metrics: batcher name to its metrics source. */
    synchronized Map<String, LoadedModel> loaded() {
        Map<String, LoadedModel> out = new TreeMap<>();
        for (ClipModel c : clips.values()) {
            out.put(c.imageEncoder().manifest().id(), c.imageEncoder());
            out.put(c.textEncoder().manifest().id(), c.textEncoder());
        }
        for (AestheticScorer h : heads.values()) {
            out.put(h.model().manifest().id(), h.model());
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        clips.values().forEach(ClipModel::close);
        heads.values().forEach(AestheticScorer::close);
        store.close();
    }

    @Override
    public String toString() {
        return "models " + Objects.toString(store.root()) + " (default " + defaults() + ")";
    }
}
