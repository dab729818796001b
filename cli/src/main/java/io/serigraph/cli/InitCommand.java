package io.serigraph.cli;

import io.serigraph.pipeline.sample.SampleCollection;
import io.serigraph.pipeline.spec.SpecWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
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
            description = "With --from: copy the layers into DIR/layers instead of referencing them.")
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
            description = "Without --from: the sample's square canvas size (default ${DEFAULT-VALUE}).")
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
        return SpecWriter.init(dir, from, copy, size, s, order);
    }

    /** A fresh 128-bit secret seed. */
    static String newSeed() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
