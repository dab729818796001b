package io.serigraph.pipeline.spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A validated collection spec ({@code serigraph.yaml}) with its layer folders scanned. Every path
 * is absolute. Produced only by the spec loader, so a {@code CollectionSpec} is always consistent:
 * its files exist, its weights are valid, its size is achievable.
 *
 * @param file the spec file
 * @param seed the seed exactly as written (an integer's decimal digits, or the string), or as read
 *     from the environment variable or file the spec names; secret: never print or log it
 * @param startId the id of the first token (default 1)
 * @param layers bottom to top
 * @param rules trait rules ({@code rules}), in spec order; empty when none
 * @param quotas exact trait quotas ({@code quotas}), in spec order; empty when none
 * @param oneOfOnes hand-made tokens ({@code one_of_ones}), in spec order; counted in {@code size}
 * @param seedCommitment SHA-256 (lower-case hex) of the seed's UTF-8 bytes: the spec's {@code
 *     seed_commitment} (checked against the seed at load time) or, when it has none, computed from
 *     the seed; safe to publish
 * @param publish how the publish stage writes CIDs, CAR files and the contract metadata
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
        List<RuleSpec> rules,
        List<QuotaSpec> quotas,
        List<OneOfOneSpec> oneOfOnes,
        String seedCommitment,
        PublishSpec publish,
        QcSpec qc) {

    public CollectionSpec {
        layers = List.copyOf(layers);
        rules = rules == null ? List.of() : List.copyOf(rules);
        quotas = quotas == null ? List.of() : List.copyOf(quotas);
        oneOfOnes = oneOfOnes == null ? List.of() : List.copyOf(oneOfOnes);
        qc = qc == null ? QcSpec.defaults() : qc;
    }

    /**
     * A spec without rules, quotas or one-of-ones, with the seed's own commitment and the default
     * publish and QC settings (for callers that build specs by hand, such as tests).
     */
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
                List.of(),
                List.of(),
                List.of());
    }

    /** A spec with the seed's own commitment and the default publish and QC settings. */
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
            MetadataSpec metadata,
            List<RuleSpec> rules,
            List<QuotaSpec> quotas,
            List<OneOfOneSpec> oneOfOnes) {
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
                rules,
                quotas,
                oneOfOnes,
                seed == null ? null : commitmentOf(seed),
                PublishSpec.defaults(),
                QcSpec.defaults());
    }

    /**
     * Whether the spec has rules, quotas or one-of-ones, which the planner meets with its
     * constrained algorithm ({@code docs/planner.md}); plain specs plan as {@code
     * docs/determinism.md} says.
     */
    public boolean constrained() {
        return !rules.isEmpty() || !quotas.isEmpty() || !oneOfOnes.isEmpty();
    }

    /** The number of generative tokens: {@code size} less the one-of-ones. */
    public int generativeSize() {
        return size - oneOfOnes.size();
    }

    /** The seed commitment of {@code seed}: SHA-256 of its UTF-8 bytes, lower-case hex. */
    public static String commitmentOf(String seed) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
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
