package io.serigraph.pipeline.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated collection spec ({@code serigraph.yaml}) with its layer folders scanned. Every path
 * is absolute. Produced only by the spec loader, so a {@code CollectionSpec} is always consistent:
 * its files exist, its weights are valid, its size is achievable.
 *
 * @param file the spec file
 * @param seed the seed exactly as written (an integer's decimal digits, or the string)
 * @param startId the id of the first token (default 1)
 * @param layers bottom to top
 * @param qc the {@code qc:} block ({@link QcSpec#defaults()} when absent)
 */
public record CollectionSpec(
        Path file,
        String name,
        String symbol,
        String description,
        int size,
        String seed,
        long startId,
        Canvas canvas,
        List<LayerSpec> layers,
        OutputSpec output,
        MetadataSpec metadata,
        QcSpec qc) {

    public CollectionSpec {
        layers = List.copyOf(layers);
    }

    /** A spec without a {@code qc:} block. */
    public CollectionSpec(
            Path file,
            String name,
            String symbol,
            String description,
            int size,
            String seed,
            long startId,
            Canvas canvas,
            List<LayerSpec> layers,
            OutputSpec output,
            MetadataSpec metadata) {
        this(
                file,
                name,
                symbol,
                description,
                size,
                seed,
                startId,
                canvas,
                layers,
                output,
                metadata,
                QcSpec.defaults());
    }

    /** The folder the spec lives in; relative paths in the spec resolve against it. */
    public Path baseDir() {
        return file.getParent();
    }

    /** The drop's output folder: {@code <baseDir>/out}. */
    public Path outDir() {
        return baseDir().resolve("out");
    }
}
