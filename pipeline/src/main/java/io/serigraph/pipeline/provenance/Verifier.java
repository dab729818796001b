package io.serigraph.pipeline.provenance;

import io.serigraph.chain.ipfs.BlockSink;
import io.serigraph.chain.ipfs.CarReader;
import io.serigraph.chain.ipfs.Cid;
import io.serigraph.chain.ipfs.FileEntry;
import io.serigraph.chain.ipfs.UnixFsImporter;
import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.publish.ContractMetadata;
import io.serigraph.pipeline.publish.PublishStage;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.PublishSpec;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.Hashes;
import io.serigraph.pipeline.store.StageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Re-derives published tokens from their lineage and reports the first difference: re-plans the
 * traits from the spec and seed, re-hashes the layer files, re-renders through the given backend
 * (the same {@code LocalRenderBackend} the render stage uses), re-hashes the image and metadata
 * files on disk and re-computes their CIDs, and compares each with {@code out/provenance.json} and
 * the state store. Checking the whole collection also re-computes the provenance hash, the
 * directory CIDs, the contract metadata and the CAR roots.
 */
public final class Verifier {
    private static final BlockSink DISCARD = block -> {};

    /**
     * One difference.
     *
     * @param tokenId the token, or -1 when it is about the whole collection
     * @param what which part differs: {@code spec}, {@code seed}, {@code plan}, {@code traits},
     *     {@code layer file}, {@code engine}, {@code image bytes}, {@code image file}, {@code image
     *     cid}, {@code metadata}, {@code metadata file}, {@code state store}, {@code provenance
     *     hash}, {@code images cid}, {@code metadata cid}, {@code contract}, {@code car}
     * @param detail what was expected and what was found
     */
    public record Difference(long tokenId, String what, String detail) {
        /** One line for a person: {@code token 7: image file: ...}. */
        public String describe() {
            return (tokenId < 0 ? "collection" : "token " + tokenId) + ": " + what + ": " + detail;
        }
    }

    /**
     * The outcome.
     *
     * @param tokensChecked tokens re-derived
     * @param difference the first difference in token order (collection-level checks last), or
     *     {@code null} when everything matches
     */
    public record Result(int tokensChecked, Difference difference) {
        public boolean matches() {
            return difference == null;
        }
    }

    private final CollectionSpec spec;
    private final DropStore store;
    private final TraitLibrary library;
    private final RenderBackend backend;
    private final int threads;

    /**
     * @param store the drop's state store, whose recorded publish lineage is compared too
     * @param threads re-rendering threads (at least 1)
     */
    public Verifier(
            CollectionSpec spec,
            DropStore store,
            TraitLibrary library,
            RenderBackend backend,
            int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.spec = spec;
        this.store = store;
        this.library = library;
        this.backend = backend;
        this.threads = threads;
    }

    /**
     * Verifies {@code only} (one token id) or, when empty, every token in {@code provenance} and
     * the collection.
     *
     * @throws IllegalArgumentException when {@code only} is not a published token
     */
    public Result verify(Plan plan, ProvenanceFile provenance, Optional<Long> only)
            throws IOException {
        List<TokenLineage> tokens;
        if (only.isPresent()) {
            TokenLineage t = provenance.token(only.get());
            if (t == null) {
                throw new IllegalArgumentException(
                        "token "
                                + only.get()
                                + " is not in the provenance file (it has "
                                + provenance.tokens().size()
                                + " tokens)");
            }
            tokens = List.of(t);
        } else {
            tokens = provenance.tokens();
        }

        String specHash = Hashes.sha256Hex(Files.readAllBytes(spec.file()));
        if (!specHash.equals(provenance.specSha256())) {
            return new Result(
                    0,
                    new Difference(
                            -1,
                            "spec",
                            spec.file()
                                    + " has sha256 "
                                    + specHash
                                    + ", the provenance records "
                                    + provenance.specSha256()
                                    + " (the spec was edited after publishing)"));
        }
        if (!Objects.equals(spec.seedCommitment(), provenance.seedCommitment())) {
            return new Result(
                    0,
                    new Difference(
                            -1,
                            "seed",
                            "the seed in use does not match the published seed commitment "
                                    + provenance.seedCommitment()));
        }
        if (!plan.hash().equals(provenance.planHash())) {
            return new Result(
                    0,
                    new Difference(
                            -1,
                            "plan",
                            "the plan hash is "
                                    + plan.hash()
                                    + ", the provenance records "
                                    + provenance.planHash()));
        }

        List<Difference> found = checkTokens(plan, provenance, tokens);
        if (!found.isEmpty()) {
            return new Result(tokens.size(), found.get(0));
        }
        if (only.isEmpty()) {
            Difference d = checkCollection(plan, provenance);
            if (d != null) {
                return new Result(tokens.size(), d);
            }
        }
        return new Result(tokens.size(), null);
    }

    private List<Difference> checkTokens(
            Plan plan, ProvenanceFile provenance, List<TokenLineage> tokens) throws IOException {
        int n = Math.max(1, Math.min(threads, tokens.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Difference>> results = new ArrayList<>(tokens.size());
            for (TokenLineage t : tokens) {
                results.add(pool.submit(() -> checkToken(plan, provenance, t)));
            }
            List<Difference> out = new ArrayList<>();
            for (Future<Difference> f : results) {
                Difference d;
                try {
                    d = f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while verifying", e);
                }
                if (d != null) {
                    out.add(d);
                    break; // results are in token order: this is the first
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The first difference of one token, or {@code null}. */
    Difference checkToken(Plan plan, ProvenanceFile provenance, TokenLineage t) throws Exception {
        long id = t.tokenId();
        if (!plan.contains(id) || !plan.contains(t.artId())) {
            return new Difference(
                    id, "plan", "the plan has no token " + (plan.contains(id) ? t.artId() : id));
        }
        int position = (int) (id - plan.startId());
        int artPosition =
                StartingIndex.artPosition(position, plan.size(), provenance.startingIndex());
        PlannedToken art = plan.get(artPosition);
        if (art.id() != t.artId()) {
            return new Difference(
                    id,
                    "starting index",
                    "with starting index "
                            + provenance.startingIndex()
                            + " the token shows the art of token "
                            + art.id()
                            + ", the lineage records "
                            + t.artId());
        }
        List<TokenLineage.Trait> traits = PublishStage.traits(spec, library, plan, artPosition);
        int oneOfOne = RenderStage.oneOfOneIndex(spec, plan, artPosition);
        if (!art.dna().equals(t.dna()) || !sameTraitNames(traits, t.traits())) {
            return new Difference(
                    id,
                    "traits",
                    "re-planning gives "
                            + describe(traits)
                            + ", the lineage records "
                            + describe(t.traits()));
        }
        for (int i = 0; i < traits.size(); i++) {
            TokenLineage.Trait now = traits.get(i);
            TokenLineage.Trait then = t.traits().get(i);
            if (!now.sha256().equals(then.sha256())) {
                return new Difference(
                        id,
                        "layer file",
                        now.file()
                                + " ("
                                + now.layer()
                                + ": "
                                + now.value()
                                + ") has sha256 "
                                + now.sha256()
                                + ", the lineage records "
                                + then.sha256());
            }
        }
        if (!backend.version().equals(t.renderer())
                || t.pixelMathVersion() != PixelMath.VERSION
                || t.pngEncoderVersion() != PngEncoder.VERSION
                || t.plannerVersion() != Planner.ALGORITHM_VERSION) {
            return new Difference(
                    id,
                    "engine",
                    "this engine is '"
                            + backend.version()
                            + "' (planner "
                            + Planner.ALGORITHM_VERSION
                            + "), the lineage records '"
                            + t.renderer()
                            + "' (planner "
                            + t.plannerVersion()
                            + ")");
        }
        byte[] png = oneOfOne < 0 ? backend.render(art) : backend.renderOneOfOne(oneOfOne);
        String rendered = Hashes.sha256Hex(png);
        if (!rendered.equals(t.image().sha256())) {
            return new Difference(
                    id,
                    "image bytes",
                    "re-rendering token "
                            + art.id()
                            + " gives sha256 "
                            + rendered
                            + ", the lineage records "
                            + t.image().sha256());
        }
        Path imageFile = spec.outDir().resolve(t.image().path());
        if (!Files.isRegularFile(imageFile)) {
            return new Difference(id, "image file", imageFile + " is missing");
        }
        byte[] onDisk = Files.readAllBytes(imageFile);
        String diskSha = Hashes.sha256Hex(onDisk);
        if (!diskSha.equals(t.image().sha256())) {
            return new Difference(
                    id,
                    "image file",
                    imageFile
                            + " has sha256 "
                            + diskSha
                            + ", the lineage (and a fresh render) give "
                            + t.image().sha256()
                            + " (the file was changed)");
        }
        String imageCid = cidOf(onDisk);
        if (!imageCid.equals(t.image().cid())) {
            return new Difference(
                    id,
                    "image cid",
                    imageFile
                            + " has CID "
                            + imageCid
                            + ", the lineage records "
                            + t.image().cid());
        }
        PublishSpec.ImageUri mode =
                "file".equals(provenance.imageUri())
                        ? PublishSpec.ImageUri.FILE
                        : PublishSpec.ImageUri.DIRECTORY;
        byte[] metadata =
                TokenMetadata.json(
                        spec,
                        plan,
                        id,
                        artPosition,
                        PublishStage.imageUri(
                                mode, provenance.imagesCid(), art.id(), t.image().cid()));
        String metadataSha = Hashes.sha256Hex(metadata);
        if (!metadataSha.equals(t.metadata().sha256())) {
            return new Difference(
                    id,
                    "metadata",
                    "the metadata derived from the lineage has sha256 "
                            + metadataSha
                            + ", the lineage records "
                            + t.metadata().sha256());
        }
        Path metadataFile = spec.outDir().resolve(t.metadata().path());
        if (!Files.isRegularFile(metadataFile)) {
            return new Difference(id, "metadata file", metadataFile + " is missing");
        }
        byte[] metadataOnDisk = Files.readAllBytes(metadataFile);
        if (!java.util.Arrays.equals(metadataOnDisk, metadata)) {
            return new Difference(
                    id,
                    "metadata file",
                    metadataFile
                            + " has sha256 "
                            + Hashes.sha256Hex(metadataOnDisk)
                            + ", the lineage gives "
                            + metadataSha
                            + " (the file was changed)");
        }
        String metadataCid = cidOf(metadata);
        if (!metadataCid.equals(t.metadata().cid())) {
            return new Difference(
                    id,
                    "metadata cid",
                    metadataFile
                            + " has CID "
                            + metadataCid
                            + ", the lineage records "
                            + t.metadata().cid());
        }
        Optional<StageRecord> recorded = store.stageRecord(id, PublishStage.STAGE);
        if (recorded.isEmpty() || !recorded.get().lineageHash().equals(t.hash())) {
            return new Difference(
                    id,
                    "state store",
                    recorded.isEmpty()
                            ? store.file() + " has no publish record of the token"
                            : "the lineage in provenance.json hashes to "
                                    + t.hash()
                                    + ", "
                                    + store.file()
                                    + " records "
                                    + recorded.get().lineageHash()
                                    + " (provenance.json was changed)");
        }
        return null;
    }

    /** Collection-level checks: provenance hash, directory CIDs, contract, CAR roots. */
    private Difference checkCollection(Plan plan, ProvenanceFile provenance) throws IOException {
        List<TokenLineage> byArt = new ArrayList<>(provenance.tokens());
        byArt.sort(Comparator.comparingLong(TokenLineage::artId));
        List<ProvenanceHash.Image> images = new ArrayList<>();
        List<FileEntry> imageFiles = new ArrayList<>();
        for (TokenLineage t : byArt) {
            images.add(new ProvenanceHash.Image(t.artId(), t.image().sha256()));
            imageFiles.add(
                    FileEntry.of(t.artId() + ".png", spec.outDir().resolve(t.image().path())));
        }
        String hash;
        try {
            hash = ProvenanceHash.of(images);
        } catch (ProvenanceHash.DuplicateImageException e) {
            return new Difference(-1, "provenance hash", e.getMessage());
        }
        if (!hash.equals(provenance.provenanceHash())) {
            return new Difference(
                    -1,
                    "provenance hash",
                    "the image hashes give "
                            + hash
                            + ", provenance.json records "
                            + provenance.provenanceHash());
        }
        Optional<String> sealed = store.meta(PublishStage.META_PROVENANCE_HASH);
        if (sealed.isEmpty() || !sealed.get().equals(hash)) {
            return new Difference(
                    -1,
                    "state store",
                    store.file()
                            + " records provenance hash "
                            + sealed.orElse("(none)")
                            + ", the images give "
                            + hash);
        }
        UnixFsImporter importer = new UnixFsImporter();
        String imagesCid = importer.importFiles(imageFiles, DISCARD).root().toString();
        if (!imagesCid.equals(provenance.imagesCid())) {
            return new Difference(
                    -1,
                    "images cid",
                    "the image files give "
                            + imagesCid
                            + ", provenance.json records "
                            + provenance.imagesCid());
        }
        List<FileEntry> metadataFiles = new ArrayList<>();
        for (TokenLineage t : provenance.tokens()) {
            metadataFiles.add(
                    FileEntry.of(
                            Long.toString(t.tokenId()),
                            spec.outDir().resolve(t.metadata().path())));
        }
        String metadataCid = importer.importFiles(metadataFiles, DISCARD).root().toString();
        if (!metadataCid.equals(provenance.metadataCid())) {
            return new Difference(
                    -1,
                    "metadata cid",
                    "the metadata files give "
                            + metadataCid
                            + ", provenance.json records "
                            + provenance.metadataCid());
        }
        TokenLineage first = provenance.tokens().get(0);
        PublishSpec.ImageUri mode =
                "file".equals(provenance.imageUri())
                        ? PublishSpec.ImageUri.FILE
                        : PublishSpec.ImageUri.DIRECTORY;
        byte[] contract =
                ContractMetadata.json(
                        spec,
                        PublishStage.imageUri(
                                mode, provenance.imagesCid(), first.artId(), first.image().cid()));
        Path contractFile = spec.outDir().resolve("publish").resolve("contract.json");
        String contractCid = cidOf(contract);
        if (!contractCid.equals(provenance.contractCid())
                || !Files.isRegularFile(contractFile)
                || !java.util.Arrays.equals(Files.readAllBytes(contractFile), contract)) {
            return new Difference(
                    -1,
                    "contract",
                    contractFile
                            + " does not hold the contract metadata the spec gives (CID "
                            + contractCid
                            + ", provenance.json records "
                            + provenance.contractCid()
                            + ")");
        }
        for (String[] car :
                new String[][] {
                    {"images.car", provenance.imagesCid()},
                    {"metadata.car", provenance.metadataCid()}
                }) {
            Path file = spec.outDir().resolve("car").resolve(car[0]);
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file);
                        CarReader reader = new CarReader(in)) {
                    List<Cid> roots = reader.roots();
                    if (roots.size() != 1 || !roots.get(0).toString().equals(car[1])) {
                        return new Difference(
                                -1, "car", file + " has roots " + roots + ", expected " + car[1]);
                    }
                    while (reader.next() != null) {
                        // every block is checked against its CID as it is read
                    }
                } catch (IOException e) {
                    return new Difference(-1, "car", file + ": " + e.getMessage());
                }
            }
        }
        return null;
    }

    private static String cidOf(byte[] bytes) throws IOException {
        return new UnixFsImporter().importBytes(bytes, DISCARD).root().toString();
    }

    private static boolean sameTraitNames(List<TokenLineage.Trait> a, List<TokenLineage.Trait> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).layer().equals(b.get(i).layer())
                    || !a.get(i).value().equals(b.get(i).value())) {
                return false;
            }
        }
        return true;
    }

    private static String describe(List<TokenLineage.Trait> traits) {
        List<String> parts = new ArrayList<>();
        for (TokenLineage.Trait t : traits) {
            parts.add(t.layer() + "=" + t.value());
        }
        return "[" + String.join(", ", parts) + "]";
    }
}
