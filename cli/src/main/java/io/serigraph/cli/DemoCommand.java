package io.serigraph.cli;

import io.serigraph.chain.mint.BatchMinter;
import io.serigraph.chain.mint.DropConfig;
import io.serigraph.chain.mint.LocalChain;
import io.serigraph.chain.mint.MemoryMintJournal;
import io.serigraph.chain.mint.MintException;
import io.serigraph.chain.mint.MintReport;
import io.serigraph.pipeline.publish.PublishStage;
import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.qc.Verdict;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph demo [DIR]}: a whole drop on the sample collection. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run a drop end to end on the sample collection, with embedded defaults and no"
                    + " servers: write the sample (once), render it, check it (qc), publish it,"
                    + " and mint it on a local dev chain when anvil is there (started and stopped"
                    + " here; otherwise it says how to get one).",
            "Running it again resumes and reuses what is already done."
        })
final class DemoCommand implements Callable<Integer> {
    /** The demo's fixed seed, so every demo gives the same tokens. */
    static final String DEMO_SEED = "serigraph-demo";

    /** Finds anvil for the demo's dev chain (tests substitute it). */
    static java.util.function.Supplier<Optional<Path>> anvil = DevChain::find;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            description = "Folder for the demo (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("serigraph-demo");

    @Option(names = "--size", paramLabel = "N", description = "Tokens (default ${DEFAULT-VALUE}).")
    int size = 1000;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Rendering threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--device", paramLabel = "auto|opencl|java", description = Drops.DEVICE_HELP)
    String device;

    @Override
    public Integer call() throws Exception {
        var out = System.out;
        if (!Files.exists(dir.resolve("serigraph.yaml"))) {
            InitCommand init = new InitCommand();
            init.dir = dir;
            init.size = size;
            init.seed = DEMO_SEED;
            out.println("serigraph demo: a sample collection of " + size + " moths in " + dir);
            init.init(out);
        } else {
            out.println("serigraph demo: resuming the drop in " + dir);
        }
        RenderStage.Report r =
                Drops.render(dir, threads, false, device, Drops.actor(), out, Drops.terminal());
        out.println(RenderCommand.summary(r, dir));
        QcStage.Report qc =
                QcCommand.check(dir, threads, false, Drops.actor(), out, Drops.terminal());
        out.print(QcCommand.summary(qc));
        PublishStage.Report p =
                Drops.publish(dir, threads, false, Drops.actor(), out, Drops.terminal());
        PublishCommand.print(p, dir, out);
        String minted = mintOnDevChain(out);
        Path o = dir.resolve("out");
        out.println();
        out.println("made:");
        out.println("  spec      " + dir.resolve("serigraph.yaml"));
        out.println("  layers    " + dir.resolve("layers") + "  (7 layers drawn by the engine)");
        out.println("  images    " + o.resolve("images") + "  (" + r.total() + " PNG files)");
        out.println("  metadata  " + o.resolve("metadata") + "  (ERC-721 JSON)");
        out.println("  qc        " + o.resolve("qc") + "  (verdict and measurements per token)");
        out.println("  published " + o.resolve("publish") + "  (final metadata, contract.json)");
        out.println("  CARs      " + o.resolve("car") + "  (images.car, metadata.car)");
        out.println("  proof     " + o.resolve("provenance.json") + "  (lineage of every token)");
        out.println(
                "  state     " + o.resolve("drop.db") + "  (plan, lineage, verdicts, audit log)");
        out.println("  minted    " + minted);
        out.println();
        out.println("try: serigraph verify " + dir + "   (re-derives every token)");
        out.println(
                "     serigraph review "
                        + dir
                        + "   (decide on the REVIEW tokens on a local page; --cli: in the terminal)");
        return qc.worst() == Verdict.FAIL ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /**
     * Mints the published drop on a throwaway local chain (anvil, started here and stopped after)
     * with the dev key, journalled in memory only: the drop's store keeps no trace of that chain,
     * so a later {@code serigraph mint} to a real one starts clean. Without anvil, or when the dev
     * chain fails, it says so and the demo goes on.
     *
     * @return the line for the "made:" list
     */
    private String mintOnDevChain(PrintStream out) throws Exception {
        Optional<Path> found = anvil.get();
        out.println();
        if (found.isEmpty()) {
            out.println(
                    "mint: no local dev chain (anvil) found, so the demo does not mint; to mint it"
                            + " too: "
                            + DevChain.HOW_TO_GET);
            return "nothing (no anvil: " + DevChain.HOW_TO_GET + ")";
        }
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        String uri;
        try (DropStore store = DropStore.open(spec.outDir().resolve("drop.db"))) {
            uri = MintCommand.publishedBaseUri(store);
        }
        out.println("mint: on a local dev chain (" + found.get() + "), dev key, nothing kept");
        try (LocalChain chain = LocalChain.start(found.get())) {
            Web3j web3j = Web3j.build(new HttpService(chain.url()));
            try {
                ProgressBar bar = new ProgressBar(out, Drops.terminal(), "mint");
                BatchMinter minter =
                        BatchMinter.builder()
                                .setWeb3j(web3j, chain.url())
                                .setCredentials(Credentials.create(LocalChain.DEV_KEY))
                                .setJournal(new MemoryMintJournal())
                                .optPollInterval(Duration.ofMillis(50))
                                .optListener(MintCommand.progress(bar))
                                .build();
                long chainId = minter.chainId();
                String contract =
                        minter.deploy(MintCommand.config(spec, uri, DropConfig.NO_ADDRESS, 0));
                MintCommand.settings(minter, spec, contract, uri, out);
                bar.begin(spec.size(), spec.size());
                MintReport r = minter.mint(contract, minter.sender(), spec.startId(), spec.size());
                bar.finish();
                out.print(MintCommand.table(r, chainId));
                return r.tokens()
                        + " tokens on a dev chain (anvil, stopped; "
                        + r.batches().size()
                        + " batches, "
                        + String.format(java.util.Locale.ROOT, "%.0f", r.gasPerToken())
                        + " gas/token)";
            } finally {
                web3j.shutdown();
            }
        } catch (IOException | MintException e) {
            out.println("mint: the dev chain failed (" + e.getMessage() + "); the drop is done");
            return "nothing (the dev chain failed)";
        }
    }
}
