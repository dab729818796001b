package io.serigraph.inference.score;

import io.serigraph.engine.image.RgbaImage;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.store.LoadedModel;
import io.serigraph.inference.store.ModelManifest;
import io.serigraph.inference.store.ModelStore;
import io.serigraph.inference.store.ModelStoreException;
import io.serigraph.inference.store.ShippedModels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code serigraph score} and the model-based QC checks run: a CLIP model of a store and, when
 * the store holds one for that CLIP family, its aesthetic head. Named {@code FAMILY} or {@code
 * FAMILY/VERSION} (e.g. {@code clip-vit-l-14/openai}); {@value #DEFAULT} picks the first family of
 * {@link #PREFERRED} installed in the store, which is the shipped tiny one until a real one is
 * installed. Thread-safe; close to release the models.
 */
public final class ScoringModel implements AutoCloseable {
    /** The name that picks the preferred installed model. */
    public static final String DEFAULT = "default";

    /** The CLIP families {@value #DEFAULT} looks for, best first. */
    public static final List<String> PREFERRED =
            List.of("clip-vit-l-14", "clip-vit-b-32", ShippedModels.CLIP_FAMILY);

    private final Choice choice;
    private final ClipModel clip;
    private final AestheticScorer aesthetic;
    private final String sha256;

    private ScoringModel(Choice choice, ClipModel clip, AestheticScorer aesthetic) {
        this.choice = choice;
        this.clip = clip;
        this.aesthetic = aesthetic;
        this.sha256 = weightsSha256(clip, aesthetic);
    }

    /**
     * Loads {@code name} ({@value #DEFAULT}, {@code FAMILY} or {@code FAMILY/VERSION}) from {@code
     * store}, with the family's aesthetic head when the store has one.
     *
     * @throws ModelStoreException when no such model is installed (the message lists what is), or
     *     it does not load
     */
    public static ScoringModel load(ModelStore store, String name) throws ModelStoreException {
        Choice choice = choose(store, name);
        ClipModel clip = ClipModel.load(store, choice.family(), choice.version());
        try {
            AestheticScorer head = null;
            if (choice.aestheticHead() != null) {
                String[] hv = choice.aestheticHead().split("/", 2);
                head = AestheticScorer.load(store, hv[0], hv[1]);
                if (head.dimension() != clip.dimension()) {
                    int d = head.dimension();
                    head.close();
                    throw new ModelStoreException(
                            store.directory(hv[0], hv[1]).resolve(ModelManifest.FILE_NAME),
                            "the aesthetic head takes "
                                    + d
                                    + "-d embeddings, "
                                    + choice.family()
                                    + " makes "
                                    + clip.dimension()
                                    + "-d ones");
                }
            }
            return new ScoringModel(choice, clip, head);
        } catch (ModelStoreException | RuntimeException e) {
            clip.close();
            throw e;
        }
    }

    /**
     * Which entries {@code name} picks, without loading them.
     *
     * @param family the CLIP family, e.g. {@code clip-tiny}
     * @param version its version
     * @param aestheticHead the family's aesthetic head as {@code <name>/<version>}, or {@code null}
     *     when the store has none
     */
    public record Choice(String family, String version, String aestheticHead) {
        /** {@code FAMILY/VERSION} of the CLIP model. */
        public String clip() {
            return family + "/" + version;
        }

        /** The CLIP model and the aesthetic head, for the output: which model answers. */
        public String description() {
            return clip()
                    + (aestheticHead == null
                            ? " (no aesthetic head for " + family + " installed)"
                            : " with aesthetic head " + aestheticHead);
        }
    }

    /**
     * The entries {@link #load} would load for {@code name} ({@value #DEFAULT}, {@code FAMILY} or
     * {@code FAMILY/VERSION}).
     *
     * @throws ModelStoreException when no such model is installed (the message lists what is)
     */
    public static Choice choose(ModelStore store, String name) throws ModelStoreException {
        String[] fv = resolve(store, name);
        return new Choice(fv[0], fv[1], aestheticHead(store, fv[0]));
    }

    /** {@code [family, version]} of the installed CLIP model {@code name} names. */
    static String[] resolve(ModelStore store, String name) throws ModelStoreException {
        List<String> installed = store.list();
        if (name == null || name.isBlank() || name.equals(DEFAULT)) {
            for (String family : PREFERRED) {
                List<String> versions = versions(installed, family);
                if (!versions.isEmpty()) {
                    return new String[] {family, versions.get(versions.size() - 1)};
                }
            }
            throw new ModelStoreException(
                    store.root(),
                    "no CLIP model is installed (looked for "
                            + String.join(", ", PREFERRED)
                            + "); install one, or the shipped one with ShippedModels.install");
        }
        String[] parts = name.split("/", -1);
        if (parts.length > 2) {
            throw new ModelStoreException(
                    store.root(), "model name '" + name + "' must be FAMILY or FAMILY/VERSION");
        }
        List<String> versions = versions(installed, parts[0]);
        if (parts.length == 2) {
            if (!versions.contains(parts[1])) {
                throw notInstalled(store, name, installed);
            }
            return parts;
        }
        if (versions.isEmpty()) {
            throw notInstalled(store, name, installed);
        }
        if (versions.size() > 1) {
            throw new ModelStoreException(
                    store.root(),
                    "several versions of "
                            + name
                            + " are installed ("
                            + String.join(", ", versions)
                            + "): name one as "
                            + name
                            + "/VERSION");
        }
        return new String[] {parts[0], versions.get(0)};
    }

    /** The versions with both {@code <family>-image} and {@code <family>-text} entries, sorted. */
    private static List<String> versions(List<String> installed, String family) {
        List<String> out = new ArrayList<>();
        for (String id : installed) {
            if (id.startsWith(family + "-image/")) {
                String v = id.substring(family.length() + "-image/".length());
                if (installed.contains(family + "-text/" + v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static ModelStoreException notInstalled(
            ModelStore store, String name, List<String> installed) {
        List<String> families = new ArrayList<>();
        for (String id : installed) {
            int slash = id.indexOf('/');
            String entry = id.substring(0, slash);
            if (entry.endsWith("-image")
                    && installed.contains(
                            entry.substring(0, entry.length() - 6)
                                    + "-text"
                                    + id.substring(slash))) {
                families.add(entry.substring(0, entry.length() - 6) + id.substring(slash));
            }
        }
        return new ModelStoreException(
                store.root(),
                "no CLIP model "
                        + name
                        + " is installed (installed: "
                        + (families.isEmpty() ? "none" : String.join(", ", families))
                        + ")");
    }

    /** The first aesthetic head (by id) for {@code family}, or {@code null}. */
    private static String aestheticHead(ModelStore store, String family)
            throws ModelStoreException {
        for (String id : store.list()) {
            String[] nv = id.split("/", 2);
            ModelManifest m = store.manifest(nv[0], nv[1]);
            if (AestheticScorer.TASK.equals(m.task())
                    && family.equals(String.valueOf(m.parameters().get("embedding_family")))) {
                return id;
            }
        }
        return null;
    }

    /** {@code FAMILY/VERSION} of the CLIP model. */
    public String name() {
        return choice.clip();
    }

    /** The CLIP model and the aesthetic head, for the output: which model scored. */
    public String description() {
        return choice.description();
    }

    /** SHA-256 over every entry's id and weights hash: changes when any model changes. */
    public String sha256() {
        return sha256;
    }

    public int dimension() {
        return clip.dimension();
    }

    public ClipModel clip() {
        return clip;
    }

    public Optional<AestheticScorer> aesthetic() {
        return Optional.ofNullable(aesthetic);
    }

    /** An image's normalized embedding and aesthetic score ({@code NaN} without a head). */
    public record ImageScore(float[] embedding, double aesthetic) {}

    /** Embeds and scores {@code image} through the shared batchers. */
    public CompletableFuture<ImageScore> scoreAsync(RgbaImage image) {
        return clip.embedImageAsync(image)
                .thenCompose(
                        e ->
                                aesthetic == null
                                        ? CompletableFuture.completedFuture(
                                                new ImageScore(e, Double.NaN))
                                        : aesthetic
                                                .scoreAsync(e)
                                                .thenApply(s -> new ImageScore(e, s)));
    }

    public ImageScore score(RgbaImage image) {
        return LoadedModel.await(scoreAsync(image));
    }

    /** The normalized text embedding of {@code prompt}. */
    public float[] embedText(String prompt) {
        return clip.embedText(prompt);
    }

    /**
     * The SHA-256 that identifies the exact weights of a CLIP model and its aesthetic head ({@code
     * null}: none): over the lines {@code <entry id>=<model.pt SHA-256>} of the image encoder, the
     * text encoder and the head, in that order. A node answering for a remote client computes the
     * same value, so stored scores compare alike wherever they were measured.
     */
    public static String weightsSha256(ClipModel clip, AestheticScorer aesthetic) {
        List<String> parts = new ArrayList<>();
        parts.add(
                clip.imageEncoder().manifest().id()
                        + "="
                        + clip.imageEncoder().manifest().sha256());
        parts.add(
                clip.textEncoder().manifest().id() + "=" + clip.textEncoder().manifest().sha256());
        if (aesthetic != null) {
            ModelManifest m = aesthetic.model().manifest();
            parts.add(m.id() + "=" + m.sha256());
        }
        return sha256(String.join("\n", parts));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (aesthetic != null) {
                aesthetic.close();
            }
        } finally {
            clip.close();
        }
    }
}
