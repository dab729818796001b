package io.serigraph.grpc.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.serigraph.engine.composite.DeviceSetting;
import io.serigraph.grpc.v1.SpecRef;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.SpecProblem;
import io.serigraph.pipeline.spec.TraitSpec;
import io.serigraph.pipeline.store.Hashes;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Specs loaded against layer sets, each with its decoded trait library and local render backend,
 * kept for the node's life so a spec's trait art is decoded and made resident once. Closing closes
 * every backend.
 */
final class Workspaces implements AutoCloseable {
    /** What a spec reference resolves to. */
    static final class Workspace {
        final CollectionSpec spec;
        final TraitLibrary library;
        final LocalRenderBackend backend;
        private Plan plan;

        Workspace(CollectionSpec spec, TraitLibrary library, LocalRenderBackend backend) {
            this.spec = spec;
            this.library = library;
            this.backend = backend;
        }

        /** The spec's plan, made on first use. */
        synchronized Plan plan(int threads) {
            if (plan == null) {
                plan = new Planner(threads).plan(spec);
            }
            return plan;
        }
    }

    private static final YAMLMapper YAML = new YAMLMapper();

    private final LayerStore layers;
    private final DeviceSetting device;
    private final int threads;
    private final Map<String, Workspace> cache = new HashMap<>();

    Workspaces(LayerStore layers, DeviceSetting device, int threads) {
        this.layers = layers;
        this.device = device;
        this.threads = threads;
    }

    /** The workspace of {@code ref}, loading it on first use. */
    Workspace get(SpecRef ref) throws SpecException, LayerSetNotFoundException {
        Path dir = layers.dir(ref.getLayerSet());
        byte[] yaml = ref.getSpecYaml().toByteArray();
        String key = ref.getLayerSet() + ":" + Hashes.sha256Hex(yaml);
        synchronized (this) {
            Workspace w = cache.get(key);
            if (w != null) {
                return w;
            }
        }
        Workspace fresh = load(dir, yaml);
        synchronized (this) {
            Workspace prior = cache.putIfAbsent(key, fresh);
            if (prior != null) {
                fresh.backend.close();
                return prior;
            }
            return fresh;
        }
    }

    private Workspace load(Path dir, byte[] yaml) throws SpecException {
        CollectionSpec spec;
        try {
            checkLayerFolders(dir, yaml);
            spec = SpecLoader.parse(dir.resolve(SpecLoader.FILE_NAME), yaml);
            for (int l = 0; l < spec.layers().size(); l++) {
                LayerSpec layer = spec.layers().get(l);
                for (TraitSpec trait : layer.traits()) {
                    if (!trait.file().toAbsolutePath().normalize().startsWith(dir)) {
                        throw new SpecException(
                                spec.file(),
                                layer.line(),
                                "layers[" + l + "].dir",
                                "layer folders must lie inside the spec's folder to render on a"
                                        + " node");
                    }
                }
            }
            TraitLibrary library = TraitLibrary.load(spec, threads);
            return new Workspace(spec, library, new LocalRenderBackend(spec, library, device));
        } catch (SpecException e) {
            throw clientView(e, dir);
        }
    }

    /**
     * Refuses layer folders outside the layer set before the loader looks at them, so a spec cannot
     * make the node read or probe its own files. YAML the mapper cannot read is left to the loader,
     * which reports it with lines.
     */
    private static void checkLayerFolders(Path dir, byte[] yaml) throws SpecException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            return;
        }
        JsonNode layers = root == null ? null : root.get("layers");
        if (layers == null || !layers.isArray()) {
            return;
        }
        List<SpecProblem> problems = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            JsonNode d = layers.get(l).get("dir");
            if (d == null || !d.isTextual()) {
                continue;
            }
            boolean inside;
            try {
                inside = dir.resolve(d.asText()).normalize().startsWith(dir);
            } catch (InvalidPathException e) {
                continue;
            }
            if (!inside) {
                problems.add(
                        new SpecProblem(
                                0,
                                "layers[" + l + "].dir",
                                "'"
                                        + d.asText()
                                        + "' is outside the spec's folder; a node renders only"
                                        + " layer folders inside it"));
            }
        }
        if (!problems.isEmpty()) {
            throw new SpecException(dir.resolve(SpecLoader.FILE_NAME), problems);
        }
    }

    /** The same problems, naming files as the client knows them rather than the node's paths. */
    private static SpecException clientView(SpecException e, Path dir) {
        String prefix = dir.toString() + "/";
        List<SpecProblem> problems = new ArrayList<>();
        for (SpecProblem p : e.problems()) {
            problems.add(
                    new SpecProblem(
                            p.line(),
                            p.field(),
                            p.message().replace(prefix, "").replace(dir.toString(), ".")));
        }
        return new SpecException(Path.of(SpecLoader.FILE_NAME), problems);
    }

    @Override
    public synchronized void close() {
        for (Workspace w : cache.values()) {
            w.backend.close();
        }
        cache.clear();
    }
}
