package io.serigraph.pipeline.render;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngDecoder;
import io.serigraph.engine.png.PngFormatException;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.OneOfOneSpec;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.TraitSpec;
import io.serigraph.pipeline.store.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final RgbaImage[] oneOfOnes;
    private final String[] oneOfOneSha256;

    private TraitLibrary(
            RgbaImage[][] images,
            String[][] sha256,
            RgbaImage[] oneOfOnes,
            String[] oneOfOneSha256) {
        this.images = images;
        this.sha256 = sha256;
        this.oneOfOnes = oneOfOnes;
        this.oneOfOneSha256 = oneOfOneSha256;
    }

    /**
     * Reads and decodes the spec's trait files. A corrupt or unreadable file is a {@link
     * SpecException} naming the file and the spec line of its layer.
     */
    public static TraitLibrary load(CollectionSpec spec, int threads) throws SpecException {
        int layers = spec.layers().size();
        RgbaImage[][] images = new RgbaImage[layers][];
        String[][] hashes = new String[layers][];
        int ones = spec.oneOfOnes().size();
        RgbaImage[] oneImages = new RgbaImage[ones];
        String[] oneHashes = new String[ones];
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
            for (int j = 0; j < ones; j++) {
                int jj = j;
                jobs.add(pool.submit(() -> loadOneOfOne(spec, jj, oneImages, oneHashes)));
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
        return new TraitLibrary(images, hashes, oneImages, oneHashes);
    }

    private static Void loadOneOfOne(
            CollectionSpec spec, int j, RgbaImage[] images, String[] hashes) throws SpecException {
        OneOfOneSpec one = spec.oneOfOnes().get(j);
        String field = "one_of_ones[" + j + "].image";
        byte[] bytes = read(spec, one.line(), field, one.image());
        hashes[j] = Hashes.sha256Hex(bytes);
        images[j] = decode(spec, one.line(), field, one.image(), bytes);
        return null;
    }

    private static byte[] read(CollectionSpec spec, int line, String field, Path file)
            throws SpecException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpecException(
                    spec.file(), line, field, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Decodes a layer or one-of-one PNG straight, checking it has the canvas size. */
    private static RgbaImage decode(
            CollectionSpec spec, int line, String field, Path file, byte[] bytes)
            throws SpecException {
        RgbaImage image;
        try {
            image = new PngDecoder().decode(bytes, AlphaMode.STRAIGHT);
        } catch (PngFormatException e) {
            throw new SpecException(
                    spec.file(),
                    line,
                    field,
                    file + " is not a valid PNG: " + e.getMessage() + " (re-export or replace it)");
        }
        if (image.width() != spec.canvas().width() || image.height() != spec.canvas().height()) {
            throw new SpecException(
                    spec.file(),
                    line,
                    field,
                    file
                            + " is "
                            + image.width()
                            + "x"
                            + image.height()
                            + " but the canvas is "
                            + spec.canvas().width()
                            + "x"
                            + spec.canvas().height());
        }
        return image;
    }

    private static Void loadOne(
            CollectionSpec spec, int l, int t, RgbaImage[][] images, String[][] hashes)
            throws SpecException {
        LayerSpec layer = spec.layers().get(l);
        TraitSpec trait = layer.traits().get(t);
        String field = "layers[" + l + "].dir";
        byte[] bytes = read(spec, layer.line(), field, trait.file());
        hashes[l][t] = Hashes.sha256Hex(bytes);
        if (trait.weight().signum() > 0) {
            images[l][t] = decode(spec, layer.line(), field, trait.file(), bytes);
        }
        return null;
    }

    /** The decoded trait, straight RGBA8; never {@code null} for a trait with weight above 0. */
    public RgbaImage image(int layer, int trait) {
        return images[layer][trait];
    }

    /** The decoded image of one-of-one {@code j} (index into the spec's {@code one_of_ones}). */
    public RgbaImage oneOfOne(int j) {
        return oneOfOnes[j];
    }

    /** SHA-256 (hex) of one-of-one {@code j}'s image file. */
    public String oneOfOneSha256(int j) {
        return oneOfOneSha256[j];
    }

    /** SHA-256 (hex) of the trait file's bytes. */
    public String sha256(int layer, int trait) {
        return sha256[layer][trait];
    }
}
