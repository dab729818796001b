package io.serigraph.cli;

import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.provenance.ProvenanceFile;
import io.serigraph.pipeline.provenance.ProvenanceFormatException;
import io.serigraph.pipeline.provenance.Verifier;
import io.serigraph.pipeline.qc.Rerolls;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph verify DIR [--token N]}. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Re-derive published tokens from their lineage in DIR/out/provenance.json: re-plan the"
                    + " traits, re-hash the layer files, re-render, re-hash the image and metadata"
                    + " files and their CIDs. Without --token, also the provenance hash, the"
                    + " directory CIDs, the contract metadata and the CAR files.",
            "Exit codes: 0 everything matches, 1 a difference (the first one is named), 2 bad"
                    + " input."
        })
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The drop folder.")
    Path dir;

    @Option(names = "--token", paramLabel = "N", description = "Verify only token N.")
    Long token;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Re-rendering threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new BadInputException("--threads must be at least 1, was " + threads);
        }
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        Path provenanceFile = spec.outDir().resolve("provenance.json");
        Path db = spec.outDir().resolve("drop.db");
        if (!Files.isRegularFile(provenanceFile) || !Files.isRegularFile(db)) {
            throw new BadInputException(
                    dir + ": not published yet (run 'serigraph publish " + dir + "' first)");
        }
        ProvenanceFile provenance;
        try {
            provenance = ProvenanceFile.read(provenanceFile);
        } catch (ProvenanceFormatException e) {
            System.out.println("mismatch: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        if (token != null && provenance.token(token) == null) {
            throw new BadInputException(
                    "--token " + token + ": no such token in " + provenanceFile);
        }
        TraitLibrary library = TraitLibrary.load(spec, threads);
        Plan planned = new Planner(threads).plan(spec);
        try (DropStore store = DropStore.open(db);
                RenderBackend backend = new LocalRenderBackend(spec, library)) {
            // The re-rolls applied so far; verifying changes nothing.
            Plan plan = Rerolls.overlay(planned, store);
            Verifier.Result r =
                    new Verifier(spec, store, library, backend, threads)
                            .verify(plan, provenance, Optional.ofNullable(token));
            if (r.matches()) {
                System.out.println(
                        "match: "
                                + r.tokensChecked()
                                + (r.tokensChecked() == 1 ? " token" : " tokens")
                                + " re-derived"
                                + (token == null
                                        ? "; provenance hash, CIDs, contract and CAR files check"
                                                + " out"
                                        : "")
                                + " ("
                                + provenance.provenanceHash()
                                + ")");
                return ExitCodes.OK;
            }
            System.out.println("mismatch: " + r.difference().describe());
            return ExitCodes.FAILURE;
        }
    }
}
