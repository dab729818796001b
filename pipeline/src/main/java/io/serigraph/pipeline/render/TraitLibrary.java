package io.serigraph.pipeline.render;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngDecoder;
import io.serigraph.engine.png.PngFormatException;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.TraitSpec;
import io.serigraph.pipeline.store.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every usable trait file of a spec, read once, hashed and decoded: the render stage never reads a
 * layer file again while it runs. Traits are decoded {@linkplain AlphaMode#STRAIGHT straight}, the
 * samples exactly as the file stores them: the compositor takes them onto its accumulator without
 * rounding (pixel math v2, {@code docs/pixel-math.md}). Traits with weight 0 are never drawn, so
 * they are hashed but not decoded. Decoding runs on all cores.
 */
public final class TraitLibrary {
    private final RgbaImage[][] images;
    private final String[][] sha256;

    private TraitLibrary(RgbaImage[][] images, String[][] sha256) {
        this.images = images;
        this.sha256 = sha256;
    }

    /**
     * Reads and decodes the spec's trait files. A corrupt or unreadable file is a {@link
     * SpecException} naming the file and the spec line of its layer.
     */
    public static TraitLibrary load(CollectionSpec spec, int threads) throws SpecException {
        int layers = spec.layers().size();
        RgbaImage[][] images = new RgbaImage[layers][];
        String[][] hashes = new String[layers][];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                LayerSpec layer = spec.layers().get(l);
                images[l] = new RgbaImage[layer.traits().size()];
                hashes[l] = new String[layer.traits().size()];
                for (int t = 0; t < layer.traits().size(); t++) {
                    int li = l;
                    int ti = t;
                    jobs.add(pool.submit(() -> loadOne(spec, li, ti, images, hashes)));
                }
            }
            for (Future<?> job : jobs) {
                try {
                    job.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SpecException se) {
                        throw se;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading layer files", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new TraitLibrary(images, hashes);
    }

    private static Void loadOne(
            CollectionSpec spec, int l, int t, RgbaImage[][] images, String[][] hashes)
            throws SpecException {
        LayerSpec layer = spec.layers().get(l);
        TraitSpec trait = layer.traits().get(t);
        String field = "layers[" + l + "].dir";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(trait.file());
        } catch (IOException e) {
            throw new SpecException(
                    spec.file(),
                    layer.line(),
                    field,
                    "cannot read layer file " + trait.file() + ": " + e.getMessage());
        }
        hashes[l][t] = Hashes.sha256Hex(bytes);
        if (trait.weight().signum() == 0) {
            return null;
        }
        RgbaImage image;
        try {
            image = new PngDecoder().decode(bytes, AlphaMode.STRAIGHT);
        } catch (PngFormatException e) {
            throw new SpecException(
                    spec.file(),
                    layer.line(),
                    field,
                    "layer file "
                            + trait.file()
                            + " is not a valid PNG: "
                            + e.getMessage()
                            + " (re-export or replace it)");
        }
        if (image.width() != spec.canvas().width() || image.height() != spec.canvas().height()) {
            throw new SpecException(
                    spec.file(),
                    layer.line(),
                    field,
                    "layer file "
                            + trait.file()
                            + " is "
                            + image.width()
                            + "x"
                            + image.height()
                            + " but the canvas is "
                            + spec.canvas().width()
                            + "x"
                            + spec.canvas().height());
        }
        images[l][t] = image;
        return null;
    }

    /** The decoded trait, straight RGBA8; never {@code null} for a trait with weight above 0. */
    public RgbaImage image(int layer, int trait) {
        return images[layer][trait];
    }

    /** SHA-256 (hex) of the trait file's bytes. */
    public String sha256(int layer, int trait) {
        return sha256[layer][trait];
    }
}
