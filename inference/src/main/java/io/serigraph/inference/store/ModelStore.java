package io.serigraph.inference.store;

import ai.djl.Device;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.serigraph.inference.batch.BatchPolicy;
import io.serigraph.inference.runtime.TorchRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of models, {@code <root>/<name>/<version>/} each holding {@code model.pt}
 * (TorchScript) and {@code model.yaml} ({@link ModelManifest}).
 *
 * <p>{@link #load} verifies the SHA-256 of {@code model.pt} and of every extra file against the
 * manifest before libtorch sees them, loads the model once onto the store's device, and hands out
 * {@link LoadedModel} handles that share it (and its batcher). Closing the store frees every model.
 *
 * <pre>{@code
 * try (ModelStore store = ModelStore.open(Path.of("models"));
 *         LoadedModel model = store.load("clip-vit-b-32-image", "openai")) {
 *     float[] features = model.run(pixels);
 * }
 * }</pre>
 */
public final class ModelStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> DTYPES = Set.of("float32", "int64");

    private final Path root;
    private final Device device;
    private final BatchPolicy policy;
    private final ObjectMapper yaml =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final Map<String, TorchModel> loaded = new HashMap<>();
    private boolean closed;

    private ModelStore(Path root, Device device, BatchPolicy policy) {
        this.root = Objects.requireNonNull(root, "root");
        this.device = device;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * A store on the runtime's device ({@link TorchRuntime#device()}) with the default batching.
     */
    public static ModelStore open(Path root) {
        return builder(root).build();
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Optional settings: {@code optDevice}, {@code optBatchPolicy}. */
    public static final class Builder {
        private final Path root;
        private Device device;
        private BatchPolicy policy = BatchPolicy.DEFAULT;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** The device to load models onto (default: {@link TorchRuntime#device()}). */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** How requests to each model are batched (default {@link BatchPolicy#DEFAULT}). */
        public Builder optBatchPolicy(BatchPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public ModelStore build() {
            return new ModelStore(root, device, policy);
        }
    }

    public Path root() {
        return root;
    }

    public BatchPolicy batchPolicy() {
        return policy;
    }

    /** Every {@code <name>/<version>} directory holding a {@code model.yaml}, sorted. */
    public List<String> list() throws ModelStoreException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> names = Files.list(root)) {
            for (Path name : names.sorted().toList()) {
                if (!Files.isDirectory(name)) {
                    continue;
                }
                try (Stream<Path> versions = Files.list(name)) {
                    for (Path v : versions.sorted().toList()) {
                        if (Files.isRegularFile(v.resolve(ModelManifest.FILE_NAME))) {
                            ids.add(name.getFileName() + "/" + v.getFileName());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ModelStoreException(root, "cannot list the model store: " + e, e);
        }
        return ids;
    }

    /** The entry directory of {@code name}/{@code version} (which may not exist). */
    public Path directory(String name, String version) {
        checkSegment("model name", name);
        checkSegment("model version", version);
        return root.resolve(name).resolve(version);
    }

    /** Reads and validates an entry's manifest (no hashing, no loading). */
    public ModelManifest manifest(String name, String version) throws ModelStoreException {
        Path dir = directory(name, version);
        if (!Files.isDirectory(dir)) {
            throw new ModelStoreException(
                    dir,
                    "no model "
                            + name
                            + "/"
                            + version
                            + " in the store (expected the directory with model.pt and"
                            + " model.yaml; export it with inference/scripts/)");
        }
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        ModelManifest m;
        try (InputStream in = Files.newInputStream(file)) {
            m = yaml.readValue(in, ModelManifest.class);
        } catch (NoSuchFileException e) {
            throw new ModelStoreException(file, "the manifest is missing");
        } catch (JacksonException e) {
            throw new ModelStoreException(
                    file, "invalid manifest: " + e.getOriginalMessage() + location(e), e);
        } catch (IOException e) {
            throw new ModelStoreException(file, "cannot read the manifest: " + e, e);
        }
        if (m == null) {
            throw new ModelStoreException(file, "the manifest is empty");
        }
        validate(m, name, version, file);
        return m;
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null
                ? ""
                : " (line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr()
                        + ")";
    }

    private static void validate(ModelManifest m, String name, String version, Path file)
            throws ModelStoreException {
        if (!name.equals(m.name()) || !version.equals(m.version())) {
            throw new ModelStoreException(
                    file,
                    "name/version say "
                            + m.name()
                            + "/"
                            + m.version()
                            + " but the entry is "
                            + name
                            + "/"
                            + version);
        }
        if (!"torchscript".equals(m.format())) {
            throw new ModelStoreException(file, "format must be torchscript, was " + m.format());
        }
        if (m.sha256() == null || !SHA256.matcher(m.sha256()).matches()) {
            throw new ModelStoreException(
                    file, "sha256 must be 64 lower-case hex digits, was " + m.sha256());
        }
        if (m.task() == null || m.task().isBlank()) {
            throw new ModelStoreException(file, "task is missing");
        }
        if (m.licence() == null || m.source() == null) {
            throw new ModelStoreException(file, "licence and source are required");
        }
        if (m.inputs().size() != 1 || m.outputs().size() != 1) {
            throw new ModelStoreException(
                    file,
                    "the model must have one input and one output, has "
                            + m.inputs().size()
                            + " and "
                            + m.outputs().size());
        }
        checkTensor(m.input(), "inputs[0]", file);
        checkTensor(m.output(), "outputs[0]", file);
        if (!m.output().dtype().equals("float32")) {
            throw new ModelStoreException(file, "outputs[0].dtype must be float32");
        }
        for (ModelManifest.ExtraFile f : m.files()) {
            if (f.path() == null
                    || !SEGMENT.matcher(f.path()).matches()
                    || f.path().equals(ModelManifest.WEIGHTS)
                    || f.path().equals(ModelManifest.FILE_NAME)) {
                throw new ModelStoreException(
                        file, "files: '" + f.path() + "' is not a plain file name in the entry");
            }
            if (f.sha256() == null || !SHA256.matcher(f.sha256()).matches()) {
                throw new ModelStoreException(file, "files: " + f.path() + " needs a sha256");
            }
        }
        ModelManifest.Preprocessing p = m.preprocessing();
        if (p != null
                && (p.resize() < 1
                        || p.crop() < 1
                        || p.crop() > p.resize()
                        || p.mean().size() != 3
                        || p.std().size() != 3)) {
            throw new ModelStoreException(
                    file, "preprocessing needs resize >= crop >= 1 and three mean and std values");
        }
    }

    private static void checkTensor(ModelManifest.TensorSpec t, String where, Path file)
            throws ModelStoreException {
        if (t.dtype() == null || !DTYPES.contains(t.dtype())) {
            throw new ModelStoreException(
                    file, where + ".dtype must be one of " + DTYPES + ", was " + t.dtype());
        }
        List<Long> s = t.shape();
        if (s.size() < 2 || s.get(0) != -1) {
            throw new ModelStoreException(
                    file, where + ".shape must start with -1 (the batch), was " + s);
        }
        for (int i = 1; i < s.size(); i++) {
            if (s.get(i) == null || s.get(i) < 1) {
                throw new ModelStoreException(
                        file, where + ".shape dimensions after the batch must be positive: " + s);
            }
        }
    }

    /**
     * Loads {@code name}/{@code version} (once; later calls share it) after checking every hash,
     * and returns a new handle on it. Close the handle when done.
     */
    public LoadedModel load(String name, String version) throws ModelStoreException {
        String id = name + "/" + version;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the model store " + root + " is closed");
            }
            TorchModel model = loaded.get(id);
            if (model == null) {
                ModelManifest m = manifest(name, version);
                Path dir = directory(name, version);
                verify(dir.resolve(ModelManifest.WEIGHTS), m.sha256());
                for (ModelManifest.ExtraFile f : m.files()) {
                    verify(dir.resolve(f.path()), f.sha256());
                }
                Device d = device != null ? device : TorchRuntime.get().device();
                long start = System.nanoTime();
                model = TorchModel.load(m, dir, d, policy);
                LOG.info(
                        "loaded model {} ({}) on {} in {} ms",
                        id,
                        m.task(),
                        d,
                        (System.nanoTime() - start) / 1_000_000);
                loaded.put(id, model);
            }
            model.retain();
            return new LoadedModel(this, model);
        }
    }

    synchronized void release(TorchModel model) {
        if (model.release()) {
            loaded.remove(model.manifest().id());
            model.close();
        }
    }

    /** The SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void verify(Path file, String expected) throws ModelStoreException {
        String actual;
        try {
            actual = sha256(file);
        } catch (NoSuchFileException e) {
            throw new ModelStoreException(file, "missing (model.yaml lists it)");
        } catch (IOException e) {
            throw new ModelStoreException(file, "cannot read: " + e, e);
        }
        if (!actual.equals(expected)) {
            throw new ModelStoreException(
                    file,
                    "SHA-256 is "
                            + actual
                            + " but model.yaml says "
                            + expected
                            + ": the file is corrupt or was replaced; re-export the entry");
        }
    }

    private static void checkSegment(String what, String s) {
        if (s == null || !SEGMENT.matcher(s).matches()) {
            throw new IllegalArgumentException(
                    what + " '" + s + "' must be letters, digits, '.', '_' or '-'");
        }
    }

    /** Frees every model loaded from this store, whatever handles are still open. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (TorchModel m : loaded.values()) {
            m.close();
        }
        loaded.clear();
    }
}
