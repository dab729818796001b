package io.serigraph.cli;

import io.serigraph.pipeline.sample.SampleCollection;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.spec.SpecWriter;
import io.serigraph.pipeline.store.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph init DIR [--from LAYERS]}. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Write a collection spec (DIR/serigraph.yaml).",
            "With --from, for an existing HashLips-style folder (LAYERS/<Layer>/<Trait>#<weight>.png);"
                    + " without it, a sample collection whose layer art Serigraph draws itself."
        })
final class InitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Folder for the new collection.")
    Path dir;

    @Option(names = "--from", paramLabel = "LAYERS", description = "An existing layers folder.")
    Path from;

    @Option(
            names = "--copy",
            description =
                    "With --from: copy the layers into DIR/layers instead of referencing them.")
    boolean copy;

    @Option(
            names = "--size",
            paramLabel = "N",
            description = "Tokens (default: the smaller of 1000 and the unique combinations).")
    Integer size;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "The seed (default: a new random one; keep it secret until reveal).")
    String seed;

    @Option(
            names = "--order",
            paramLabel = "A,B,...",
            split = ",",
            description = "With --from: layer folders bottom to top (default: by folder name).")
    List<String> order;

    @Option(
            names = "--canvas",
            paramLabel = "PX",
            description =
                    "Without --from: the sample's square canvas size (default ${DEFAULT-VALUE}).")
    int canvas = 512;

    @Override
    public Integer call() throws Exception {
        Path spec = init(System.out);
        System.out.println("wrote " + spec);
        System.out.println("next: serigraph render " + dir);
        return ExitCodes.OK;
    }

    Path init(PrintStream out) throws Exception {
        if (Files.exists(dir.resolve("serigraph.yaml"))) {
            throw new BadInputException(
                    dir.resolve("serigraph.yaml") + " already exists (choose another folder)");
        }
        if (size != null && size < 1) {
            throw new BadInputException("--size must be at least 1, was " + size);
        }
        String s = seed != null ? seed : newSeed();
        if (from == null) {
            if (copy || order != null) {
                throw new BadInputException("--copy and --order need --from LAYERS");
            }
            SampleCollection sample = new SampleCollection(canvas);
            int n = size != null ? size : (int) Math.min(1000, sample.combinations());
            if (n > sample.combinations()) {
                throw new BadInputException(
                        "--size "
                                + n
                                + " is more than the sample's "
                                + sample.combinations()
                                + " unique combinations");
            }
            out.println("drawing the sample collection's layers into " + dir.resolve("layers"));
            return sample.write(dir, n, s);
        }
        if (!Files.isDirectory(from)) {
            throw new BadInputException("--from " + from + ": no such folder");
        }
        SpecWriter.Options options = SpecWriter.Options.withSeed(s);
        if (size != null) {
            options = options.optSize(size);
        }
        if (order != null) {
            options = options.optOrder(order);
        }
        // Validate the layers before anything is written or copied.
        String yaml = SpecWriter.write(dir, from, options);
        if (copy) {
            Path layers = dir.resolve("layers");
            if (Files.exists(layers)) {
                throw new BadInputException(layers + " already exists; --copy needs it free");
            }
            out.println("copying " + from + " to " + layers);
            copyTree(from, layers);
            yaml = SpecWriter.write(dir, layers, options);
        }
        Path spec = dir.resolve(SpecLoader.FILE_NAME);
        AtomicFiles.write(spec, yaml.getBytes(StandardCharsets.UTF_8));
        return spec;
    }

    /** Copies a layers folder: each layer subfolder's regular files, nothing hidden. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(p);
                if (rel.toString().startsWith(".") || rel.toString().contains("/.")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** A fresh 128-bit secret seed. */
    static String newSeed() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
