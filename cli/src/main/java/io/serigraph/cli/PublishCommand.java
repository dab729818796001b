package io.serigraph.cli;

import io.serigraph.pipeline.publish.PublishStage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph publish DIR}. */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Content-address the rendered drop in DIR for IPFS: image CIDs, final metadata in"
                    + " DIR/out/publish/metadata/<id> (image: ipfs://...), the metadata directory"
                    + " CID (tokenURI = ipfs://<metadata CID>/<id>), CAR files in DIR/out/car,"
                    + " contract metadata and DIR/out/provenance.json.",
            "Every token must be rendered first. A rerun rewrites only what is missing or out of"
                    + " date; the bytes are always the same."
        })
final class PublishCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The drop folder.")
    Path dir;

    @Option(names = "--force", description = "Rewrite every file, even those up to date.")
    boolean force;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads for reading layer files (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, was " + threads);
        }
        PublishStage.Report r =
                Drops.publish(dir, threads, force, Drops.actor(), System.out, Drops.terminal());
        print(r, dir, System.out);
        return ExitCodes.OK;
    }

    static void print(PublishStage.Report r, Path dir, PrintStream out) {
        Path o = dir.resolve("out");
        out.println(
                String.format(
                        Locale.ROOT,
                        "published %d tokens (%d metadata files written, %d up to date, %d CAR"
                                + " files written) in %.1f s",
                        r.tokens(),
                        r.written(),
                        r.skipped(),
                        r.carsWritten(),
                        r.elapsed().toNanos() / 1e9));
        out.println("  images CID       " + r.imagesCid());
        out.println(
                "  metadata CID     "
                        + r.metadataCid()
                        + "  (baseURI ipfs://"
                        + r.metadataCid()
                        + "/)");
        out.println(
                "  contract CID     "
                        + r.contractCid()
                        + "  (contractURI ipfs://"
                        + r.contractCid()
                        + ")");
        out.println("  provenance hash  " + r.provenanceHash());
        if (r.startingIndex() != null) {
            out.println("  starting index   " + r.startingIndex());
        }
        out.println(
                "  files            "
                        + o.resolve("publish")
                        + ", "
                        + o.resolve("car")
                        + ", "
                        + o.resolve("provenance.json"));
    }
}
