package io.serigraph.pipeline.publish;

import io.serigraph.chain.ipfs.BlockSink;
import io.serigraph.chain.ipfs.CarPacker;
import io.serigraph.chain.ipfs.Cid;
import io.serigraph.chain.ipfs.FileEntry;
import io.serigraph.chain.ipfs.ImportResult;
import io.serigraph.chain.ipfs.Multihash;
import io.serigraph.chain.ipfs.UnixFsImporter;
import io.serigraph.engine.composite.PixelMath;
import io.serigraph.engine.png.PngEncoder;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.provenance.ProvenanceFile;
import io.serigraph.pipeline.provenance.ProvenanceHash;
import io.serigraph.pipeline.provenance.StartingIndex;
import io.serigraph.pipeline.provenance.TokenLineage;
import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.qc.ReviewLog;
import io.serigraph.pipeline.qc.Verdict;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.OutputSpec;
import io.serigraph.pipeline.spec.PublishSpec;
import io.serigraph.pipeline.store.AtomicFiles;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.DurableWrites;
import io.serigraph.pipeline.store.Hashes;
import io.serigraph.pipeline.store.StageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The publish stage: content-addresses the rendered images, writes each token's final ERC-721
 * metadata pointing at them over IPFS, content-addresses the metadata, writes the CAR files whose
 * roots are the two directory CIDs, the contract-level metadata and {@code out/provenance.json},
 * and records all of it in the state store.
 *
 * <p>Files (under {@code out/}):
 *
 * <ul>
 *   <li>{@code publish/metadata/<id>} (no extension): the token's final metadata, so that {@code
 *       tokenURI(id) = baseURI + id} with {@code baseURI = ipfs://<metadata CID>/};
 *   <li>{@code publish/contract.json}: {@code contractURI = ipfs://<its CID>};
 *   <li>{@code car/images.car}, {@code car/metadata.car}: CAR v1 files identical to {@code ipfs-car
 *       pack out/images} and {@code ipfs-car pack out/publish/metadata} (when those folders hold
 *       exactly the published tokens), their roots the directory CIDs;
 *   <li>{@code provenance.json}: see {@link ProvenanceFile}.
 * </ul>
 *
 * <p>Idempotent and resumable like the render stage: every file is written atomically and durably
 * before it is recorded; a rerun rewrites only what is missing or out of date, and the bytes are
 * always the same for the same inputs. It publishes only tokens that are rendered and up to date
 * (the image on disk is the one recorded), and refuses to seal a collection in which two tokens
 * have the same image.
 */
public final class PublishStage {
    /** The stage name in the state store. */
    public static final String STAGE = "publish";

    /** State store meta keys this stage writes. */
    public static final String META_IMAGES_CID = "images_cid";

    public static final String META_METADATA_CID = "metadata_cid";
    public static final String META_CONTRACT_CID = "contract_cid";
    public static final String META_BASE_URI = "base_uri";
    public static final String META_PROVENANCE_HASH = "provenance_hash";
    public static final String META_STARTING_INDEX = "starting_index";
    public static final String META_IMAGES_CAR = "images_car";
    public static final String META_METADATA_CAR = "metadata_car";

    private static final BlockSink DISCARD = block -> {};

    /** Metadata files written between two forces of their folder. */
    private static final int BATCH = 256;

    /**
     * @param force rewrite every file even when up to date
     * @param actor who runs it, for the audit log
     */
    public record Options(boolean force, String actor) {}

    /** What a run did. */
    public record Report(
            int tokens,
            int written,
            int skipped,
            Cid imagesCid,
            Cid metadataCid,
            Cid contractCid,
            String provenanceHash,
            Long startingIndex,
            int carsWritten,
            Duration elapsed) {}

    /** A rendered image as published. */
    private record Image(PlannedToken token, String sha256, long bytes, Cid cid) {}

    private final CollectionSpec spec;
    private final DropStore store;

    public PublishStage(CollectionSpec spec, DropStore store) {
        this.spec = spec;
        this.store = store;
    }

    /** {@code out/images}: the render stage's images. */
    public Path imagesDir() {
        return spec.outDir().resolve("images");
    }

    /** {@code out/publish/metadata}: final metadata, one file per token named by its id. */
    public Path metadataDir() {
        return spec.outDir().resolve("publish").resolve("metadata");
    }

    /** {@code out/publish/contract.json}. */
    public Path contractFile() {
        return spec.outDir().resolve("publish").resolve("contract.json");
    }

    /** {@code out/car}. */
    public Path carDir() {
        return spec.outDir().resolve("car");
    }

    /** {@code out/provenance.json}. */
    public Path provenanceFile() {
        return spec.outDir().resolve("provenance.json");
    }

    /**
     * The tokens to publish: every planned token, once quality control lets it through. When QC has
     * run on the drop ({@code serigraph qc}), every token needs a verdict: PASS, or REVIEW with an
     * APPROVE decision for that very QC result ({@code serigraph review}); a FAIL, a rejection, a
     * re-roll, an undecided REVIEW or a missing verdict stops publishing and names the token. A
     * drop never checked by QC publishes every token, as before QC existed. Tokens are never
     * dropped silently: the collection's ids stay contiguous for minting.
     */
    List<PlannedToken> publishable(Plan plan) throws PublishException {
        List<PlannedToken> tokens = plan.tokens();
        Map<Long, String> verdicts = store.verdicts();
        if (verdicts.isEmpty()) {
            return tokens;
        }
        Map<Long, StageRecord> checked = store.stageRecords(QcStage.STAGE);
        Map<Long, ReviewLog.Entry> decisions = ReviewLog.latest(store);
        String dir = spec.baseDir().toString();
        for (PlannedToken t : tokens) {
            String verdict = verdicts.get(t.id());
            StageRecord qc = checked.get(t.id());
            if (verdict == null || qc == null) {
                throw new PublishException(
                        t.id(), "has no QC verdict (run 'serigraph qc " + dir + "' first)", null);
            }
            if (verdict.equals(Verdict.FAIL.name())) {
                throw new PublishException(
                        t.id(),
                        "FAILed quality control (see out/qc/"
                                + t.id()
                                + ".json for the check and its remedy; fix it, render and run qc"
                                + " again)",
                        null);
            }
            if (verdict.equals(Verdict.REVIEW.name())) {
                ReviewLog.Entry d = decisions.get(t.id());
                if (d == null || !d.qcLineage().equals(qc.lineageHash())) {
                    throw new PublishException(
                            t.id(),
                            "awaits a review decision (run 'serigraph review " + dir + " --cli')",
                            null);
                }
                if (d.decision() != ReviewLog.Decision.APPROVE) {
                    throw new PublishException(
                            t.id(),
                            "was marked "
                                    + d.decision().name().toLowerCase(java.util.Locale.ROOT)
                                    + " in review by "
                                    + d.reviewer()
                                    + "; only approved tokens are published",
                            null);
                }
            }
        }
        return tokens;
    }

    /**
     * Publishes the rendered tokens of {@code plan}. {@code library} and {@code backend} give the
     * layer file hashes and the renderer version the render lineage was recorded with; nothing is
     * rendered.
     */
    public Report run(
            Plan plan,
            TraitLibrary library,
            RenderBackend backend,
            Options options,
            RenderStage.Listener listener)
            throws PublishException, IOException {
        long start = System.nanoTime();
        PublishSpec publish = spec.publish();
        Files.createDirectories(metadataDir());
        AtomicFiles.removeStrayTemporaries(metadataDir());
        AtomicFiles.removeStrayTemporaries(contractFile().getParent());
        AtomicFiles.removeStrayTemporaries(spec.outDir());
        if (publish.car()) {
            Files.createDirectories(carDir());
            AtomicFiles.removeStrayTemporaries(carDir());
        }
        String specHash = Hashes.sha256Hex(Files.readAllBytes(spec.file()));
        List<PlannedToken> tokens = publishable(plan);
        if (tokens.isEmpty()) {
            throw new PublishException("there are no tokens to publish", null);
        }

        // 1. Every token rendered, up to date, and its image the one recorded.
        Map<Long, StageRecord> rendered = store.stageRecords(RenderStage.STAGE);
        UnixFsImporter importer = new UnixFsImporter();
        List<Image> images = new ArrayList<>(tokens.size());
        List<ProvenanceHash.Image> hashes = new ArrayList<>(tokens.size());
        for (PlannedToken t : tokens) {
            StageRecord r = rendered.get(t.id());
            int index = (int) (t.id() - plan.startId());
            String lineage =
                    RenderStage.lineage(
                            library,
                            backend,
                            t,
                            RenderStage.oneOfOneIndex(spec, plan, index),
                            TokenMetadata.json(spec, plan, index));
            if (r == null || !r.lineageHash().equals(lineage)) {
                throw new PublishException(
                        t.id(),
                        (r == null ? "is not rendered" : "is rendered from other inputs")
                                + " (run 'serigraph render "
                                + spec.baseDir()
                                + "' first)",
                        null);
            }
            Image image = image(t, r, importer);
            images.add(image);
            hashes.add(new ProvenanceHash.Image(t.id(), image.sha256()));
        }

        // 2. Seal: the provenance hash over the ordered image hashes; no two images alike.
        String provenanceHash;
        try {
            provenanceHash = ProvenanceHash.of(hashes);
        } catch (ProvenanceHash.DuplicateImageException e) {
            throw new PublishException(e.getMessage(), e);
        }

        // 3. The images directory.
        List<FileEntry> imageFiles = new ArrayList<>(images.size());
        for (Image i : images) {
            String name = i.token().id() + ".png";
            imageFiles.add(FileEntry.of(name, imagesDir().resolve(name)));
        }
        Cid imagesCid = importer.importFiles(imageFiles, DISCARD).root();
        int carsWritten = 0;
        if (publish.car()
                && writeCar(
                        META_IMAGES_CAR,
                        carDir().resolve("images.car"),
                        imagesCid,
                        imageFiles,
                        options.force())) {
            carsWritten++;
        }

        Map<String, Object> startEvent = new LinkedHashMap<>();
        startEvent.put("tokens", tokens.size());
        startEvent.put("images_cid", imagesCid.toString());
        startEvent.put("provenance_hash", provenanceHash);
        startEvent.put("force", options.force());
        store.appendAudit(options.actor(), "publish.start", TokenMetadata.compact(startEvent));

        // 4. Final metadata per token, recorded with its lineage once durable.
        Map<Long, StageRecord> done = store.stageRecords(STAGE);
        List<TokenLineage> lineages = new ArrayList<>(tokens.size());
        List<byte[]> metadataBytes = new ArrayList<>(tokens.size());
        List<Boolean> todo = new ArrayList<>(tokens.size());
        int toWrite = 0;
        for (int i = 0; i < tokens.size(); i++) {
            long id = tokens.get(i).id();
            Image art =
                    images.get(
                            StartingIndex.artPosition(i, tokens.size(), publish.startingIndex()));
            String imageUri =
                    imageUri(publish.imageUri(), imagesCid.toString(), art.token().id(), art.cid());
            byte[] metadata =
                    TokenMetadata.json(
                            spec, plan, id, (int) (art.token().id() - plan.startId()), imageUri);
            TokenLineage lineage =
                    lineage(specHash, plan, library, backend, id, art, metadata, importer);
            StageRecord r = done.get(id);
            boolean write =
                    options.force()
                            || r == null
                            || !r.lineageHash().equals(lineage.hash())
                            || !sameBytes(metadataDir().resolve(Long.toString(id)), metadata);
            lineages.add(lineage);
            metadataBytes.add(metadata);
            todo.add(write);
            if (write) {
                toWrite++;
            }
        }
        listener.begin(tokens.size(), toWrite);
        // Files are written in batches, each made durable as a whole (DurableWrites) before it is
        // recorded.
        int written = 0;
        List<Integer> batch = new ArrayList<>(BATCH);
        try (DurableWrites durable = DurableWrites.open(List.of(metadataDir()))) {
            for (int i = 0; i <= tokens.size(); i++) {
                if (i < tokens.size() && todo.get(i)) {
                    TokenLineage lineage = lineages.get(i);
                    durable.write(
                            metadataDir().resolve(Long.toString(lineage.tokenId())),
                            metadataBytes.get(i));
                    batch.add(i);
                }
                if (batch.size() < BATCH && (i < tokens.size() || batch.isEmpty())) {
                    continue;
                }
                durable.commit();
                for (int k : batch) {
                    TokenLineage lineage = lineages.get(k);
                    store.recordStage(
                            new StageRecord(
                                    lineage.tokenId(),
                                    STAGE,
                                    lineage.hash(),
                                    lineage.metadata().sha256(),
                                    metadataBytes.get(k).length));
                    written++;
                    listener.rendered(lineage.tokenId(), metadataBytes.get(k).length);
                }
                batch.clear();
            }
        }

        // 5. The metadata directory.
        List<FileEntry> metadataFiles = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            metadataFiles.add(
                    FileEntry.of(Long.toString(tokens.get(i).id()), metadataBytes.get(i)));
        }
        Cid metadataCid = importer.importFiles(metadataFiles, DISCARD).root();
        if (publish.car()
                && writeCar(
                        META_METADATA_CAR,
                        carDir().resolve("metadata.car"),
                        metadataCid,
                        metadataFiles,
                        options.force())) {
            carsWritten++;
        }

        // 6. Contract-level metadata and the provenance file.
        Image first =
                images.get(StartingIndex.artPosition(0, tokens.size(), publish.startingIndex()));
        String firstImage =
                imageUri(publish.imageUri(), imagesCid.toString(), first.token().id(), first.cid());
        byte[] contract = ContractMetadata.json(spec, firstImage);
        Cid contractCid = importer.importBytes(contract, DISCARD).root();
        writeIfChanged(contractFile(), contract);
        ProvenanceFile provenance =
                new ProvenanceFile(
                        spec.name(),
                        spec.symbol(),
                        specHash,
                        plan.hash(),
                        spec.seedCommitment(),
                        provenanceHash,
                        publish.startingIndex(),
                        imagesCid.toString(),
                        metadataCid.toString(),
                        contractCid.toString(),
                        publish.imageUri().specName(),
                        lineages);
        writeIfChanged(provenanceFile(), provenance.toBytes());

        // 7. Record the collection's addresses once everything they name is durable.
        boolean sealedBefore =
                store.meta(META_PROVENANCE_HASH).filter(provenanceHash::equals).isPresent();
        store.putMeta(META_IMAGES_CID, imagesCid.toString());
        store.putMeta(META_METADATA_CID, metadataCid.toString());
        store.putMeta(META_BASE_URI, "ipfs://" + metadataCid + "/");
        store.putMeta(META_CONTRACT_CID, contractCid.toString());
        store.putMeta(META_PROVENANCE_HASH, provenanceHash);
        store.putMeta(
                META_STARTING_INDEX,
                publish.startingIndex() == null ? "" : publish.startingIndex().toString());
        if (!sealedBefore) {
            Map<String, Object> sealed = new LinkedHashMap<>();
            sealed.put("provenance_hash", provenanceHash);
            sealed.put("tokens", tokens.size());
            sealed.put("seed_commitment", spec.seedCommitment());
            store.appendAudit(options.actor(), "provenance.sealed", TokenMetadata.compact(sealed));
        }
        Map<String, Object> doneEvent = new LinkedHashMap<>();
        doneEvent.put("images_cid", imagesCid.toString());
        doneEvent.put("metadata_cid", metadataCid.toString());
        doneEvent.put("contract_cid", contractCid.toString());
        doneEvent.put("provenance_hash", provenanceHash);
        doneEvent.put("starting_index", publish.startingIndex());
        doneEvent.put("written", written);
        doneEvent.put("skipped", tokens.size() - written);
        doneEvent.put("cars_written", carsWritten);
        store.appendAudit(options.actor(), "publish.done", TokenMetadata.compact(doneEvent));
        return new Report(
                tokens.size(),
                written,
                tokens.size() - written,
                imagesCid,
                metadataCid,
                contractCid,
                provenanceHash,
                publish.startingIndex(),
                carsWritten,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * A token's {@code image}: {@code ipfs://<images CID>/<art id>.png} for {@link
     * PublishSpec.ImageUri#DIRECTORY}, {@code ipfs://<image CID>} for {@link
     * PublishSpec.ImageUri#FILE}.
     */
    public static String imageUri(
            PublishSpec.ImageUri mode, String imagesCid, long artId, Object imageCid) {
        return mode == PublishSpec.ImageUri.DIRECTORY
                ? "ipfs://" + imagesCid + "/" + artId + ".png"
                : "ipfs://" + imageCid;
    }

    /** Reads, checks and addresses a token's rendered image. */
    private Image image(PlannedToken t, StageRecord r, UnixFsImporter importer)
            throws PublishException, IOException {
        Path file = imagesDir().resolve(t.id() + ".png");
        if (!Files.isRegularFile(file)) {
            throw new PublishException(
                    t.id(),
                    file + " is missing (run 'serigraph render " + spec.baseDir() + "')",
                    null);
        }
        MessageDigest md = Hashes.sha256();
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        byte[] digest = md.digest();
        String sha = HexFormat.of().formatHex(digest);
        if (!sha.equals(r.outputSha256())) {
            throw new PublishException(
                    t.id(),
                    file
                            + " changed since it was rendered (sha256 "
                            + sha
                            + ", rendered "
                            + r.outputSha256()
                            + "); run 'serigraph render "
                            + spec.baseDir()
                            + " --force' to render it again",
                    null);
        }
        return new Image(t, sha, size, fileCid(digest, size, file, importer));
    }

    /**
     * The CID ipfs-car gives a file: for at most one chunk, the raw block whose multihash is the
     * file's SHA-256; otherwise the root of its balanced tree.
     */
    public static Cid fileCid(byte[] sha256, long size, Path file, UnixFsImporter importer)
            throws IOException {
        if (size <= UnixFsImporter.DEFAULT_CHUNK_SIZE) {
            return Cid.v1(Cid.RAW, Multihash.of(Multihash.SHA2_256, sha256));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return importer.importFile(in, DISCARD).root();
        }
    }

    private TokenLineage lineage(
            String specHash,
            Plan plan,
            TraitLibrary library,
            RenderBackend backend,
            long id,
            Image art,
            byte[] metadata,
            UnixFsImporter importer)
            throws IOException {
        OutputSpec o = spec.output();
        byte[] metadataSha = Hashes.sha256().digest(metadata);
        Cid metadataCid =
                metadata.length <= UnixFsImporter.DEFAULT_CHUNK_SIZE
                        ? Cid.v1(Cid.RAW, Multihash.of(Multihash.SHA2_256, metadataSha))
                        : importer.importBytes(metadata, DISCARD).root();
        return new TokenLineage(
                id,
                art.token().id(),
                art.token().dna(),
                specHash,
                plan.hash(),
                spec.seedCommitment(),
                Planner.ALGORITHM_VERSION,
                PixelMath.VERSION,
                PngEncoder.VERSION,
                backend.version(),
                new TokenLineage.Output(
                        o.format(),
                        o.width(),
                        o.height(),
                        o.resample().specName(),
                        o.compression().specName()),
                traits(spec, library, plan, (int) (art.token().id() - plan.startId())),
                new TokenLineage.FileRef(
                        "images/" + art.token().id() + ".png",
                        art.sha256(),
                        art.bytes(),
                        art.cid().toString()),
                new TokenLineage.FileRef(
                        "publish/metadata/" + id,
                        HexFormat.of().formatHex(metadataSha),
                        metadata.length,
                        metadataCid.toString()));
    }

    /**
     * The traits of the token at 0-based position {@code index}, each with its layer file's path
     * (relative to the spec) and hash; for a one-of-one, one entry: {@code one_of_one} and its art
     * file.
     */
    public static List<TokenLineage.Trait> traits(
            CollectionSpec spec, TraitLibrary library, Plan plan, int index) {
        List<TokenLineage.Trait> out = new ArrayList<>();
        int one = RenderStage.oneOfOneIndex(spec, plan, index);
        if (one >= 0) {
            out.add(
                    new TokenLineage.Trait(
                            "one_of_one",
                            Integer.toString(one),
                            shown(spec, spec.oneOfOnes().get(one).image()),
                            library.oneOfOneSha256(one)));
            return out;
        }
        int[] choice = plan.get(index).choices();
        for (int l = 0; l < choice.length; l++) {
            if (choice[l] >= 0) {
                LayerSpec layer = spec.layers().get(l);
                out.add(
                        new TokenLineage.Trait(
                                layer.name(),
                                layer.traits().get(choice[l]).name(),
                                shown(spec, layer.traits().get(choice[l]).file()),
                                library.sha256(l, choice[l])));
            }
        }
        return out;
    }

    /** A file's path relative to the spec's folder when inside it, else absolute. */
    private static String shown(CollectionSpec spec, Path file) {
        return file.startsWith(spec.baseDir())
                ? spec.baseDir().relativize(file).toString().replace('\\', '/')
                : file.toString();
    }

    /**
     * Writes a CAR whose root is {@code root} unless the recorded one has that root and the file is
     * there with the recorded size. Returns whether it wrote.
     */
    private boolean writeCar(
            String metaKey, Path car, Cid root, List<FileEntry> files, boolean force)
            throws IOException {
        Optional<String> recorded = store.meta(metaKey);
        if (!force && recorded.isPresent() && Files.isRegularFile(car)) {
            String[] parts = recorded.get().split(" ");
            if (parts.length == 2
                    && parts[0].equals(root.toString())
                    && parts[1].equals(Long.toString(Files.size(car)))) {
                return false;
            }
        }
        Path temp =
                car.resolveSibling(
                        "."
                                + car.getFileName()
                                + "."
                                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                                + AtomicFiles.TEMP_SUFFIX);
        try {
            ImportResult r = CarPacker.pack(new UnixFsImporter(), files, temp);
            if (!r.root().equals(root)) {
                throw new IOException(
                        car
                                + ": the files changed while packing (root "
                                + r.root()
                                + ", expected "
                                + root
                                + "); run publish again");
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(
                    temp, car, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        AtomicFiles.forceDirectory(car.getParent());
        store.putMeta(metaKey, root + " " + Files.size(car));
        return true;
    }

    private static boolean sameBytes(Path file, byte[] bytes) {
        try {
            return Files.isRegularFile(file)
                    && Files.size(file) == bytes.length
                    && Arrays.equals(Files.readAllBytes(file), bytes);
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeIfChanged(Path file, byte[] bytes) throws IOException {
        if (!sameBytes(file, bytes)) {
            AtomicFiles.write(file, bytes);
        }
    }
}
