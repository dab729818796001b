package io.serigraph.cli;

import io.serigraph.chain.mint.BatchMinter;
import io.serigraph.chain.mint.DropConfig;
import io.serigraph.chain.mint.MintEvent;
import io.serigraph.chain.mint.MintListener;
import io.serigraph.chain.mint.MintPlan;
import io.serigraph.chain.mint.MintReport;
import io.serigraph.pipeline.provenance.ProvenanceFile;
import io.serigraph.pipeline.provenance.ProvenanceFormatException;
import io.serigraph.pipeline.publish.PublishStage;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.StoreMintJournal;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code serigraph mint DIR --rpc URL}. */
@Command(
        name = "mint",
        mixinStandardHelpOptions = true,
        description = {
            "Deploy the drop's SerigraphDrop contract (once) and mint every token to it in batches.",
            "Every transaction is journalled in DIR/out/drop.db before it is sent: run the same"
                    + " command again after any interruption and it finishes without minting twice.",
            "Before minting it records the provenance hash of out/provenance.json on the contract"
                    + " (once) and its base URI (again, with an ERC-4906 event, if it changed);"
                    + " --reveal then reveals the on-chain starting index.",
            "Key: SERIGRAPH_PRIVATE_KEY, or --key-file with SERIGRAPH_KEY_PASSWORD (else a prompt)."
        })
final class MintCommand implements Callable<Integer> {
    /** The drop store's record of the starting index revealed on-chain. */
    static final String META_CHAIN_STARTING_INDEX = "chain_starting_index";

    /** Where the key and password come from: the environment (tests substitute it). */
    static UnaryOperator<String> env = System::getenv;

    @Parameters(index = "0", paramLabel = "DIR", description = "The drop folder.")
    Path dir;

    @Option(names = "--rpc", required = true, paramLabel = "URL", description = "JSON-RPC URL.")
    String rpc;

    @Option(names = "--key-file", paramLabel = "F", description = "Encrypted keystore JSON.")
    Path keyFile;

    @Option(names = "--dry-run", description = "Show batches, gas and cost; send nothing.")
    boolean dryRun;

    @Option(
            names = "--batch",
            paramLabel = "N",
            description = "Most tokens per transaction (default ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(
            names = "--base-uri",
            paramLabel = "URI",
            description = "Base URI (default: ipfs://<metadata_cid>/ from the publish stage).")
    String baseUri;

    @Option(names = "--to", paramLabel = "ADDRESS", description = "Recipient (default: sender).")
    String to;

    @Option(names = "--chain-id", paramLabel = "ID", description = "Refuse any other chain.")
    Long chainId;

    @Option(names = "--mainnet", description = "Allow Ethereum mainnet (chain id 1).")
    boolean mainnet;

    @Option(
            names = "--max-fee-gwei",
            paramLabel = "G",
            description = "Fee ceiling per gas, in gwei (default: none).")
    BigDecimal maxFeeGwei;

    @Option(
            names = "--confirmations",
            paramLabel = "N",
            description = "Blocks per receipt (default ${DEFAULT-VALUE}).")
    int confirmations = 1;

    @Option(
            names = "--window",
            paramLabel = "N",
            description =
                    "Batch transactions in flight at once (default ${DEFAULT-VALUE}; 1 sends one"
                            + " at a time).")
    int window = 4;

    @Option(
            names = "--stall-seconds",
            paramLabel = "S",
            description =
                    "Replace a transaction unmined after S seconds: same nonce, fees +12.5 %%,"
                            + " within --max-fee-gwei (default ${DEFAULT-VALUE}).")
    long stallSeconds = 180;

    @Option(
            names = "--reveal",
            description =
                    "After minting, reveal the contract's starting index (commit to the next"
                            + " block's hash, wait for it, reveal): token URIs shift by it;"
                            + " ERC-4906 BatchMetadataUpdate.")
    boolean reveal;

    @Option(
            names = "--royalty-bps",
            paramLabel = "BPS",
            description =
                    "ERC-2981 royalty to the sender, basis points (default ${DEFAULT-VALUE}).")
    int royaltyBps = 0;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new BadInputException("--batch must be at least 1, was " + batch);
        }
        if (confirmations < 1) {
            throw new BadInputException("--confirmations must be at least 1, was " + confirmations);
        }
        if (royaltyBps < 0 || royaltyBps > 10_000) {
            throw new BadInputException("--royalty-bps must be 0..10000, was " + royaltyBps);
        }
        if (window < 1) {
            throw new BadInputException("--window must be at least 1, was " + window);
        }
        if (stallSeconds < 1) {
            throw new BadInputException("--stall-seconds must be at least 1, was " + stallSeconds);
        }
        CollectionSpec spec = SpecLoader.load(Drops.specFile(dir));
        if (reveal && spec.publish().startingIndex() != null) {
            throw new BadInputException(
                    spec.file()
                            + ": publish.starting_index is set, so the published metadata is already"
                            + " shifted; an on-chain reveal would shift it twice (leave out --reveal, or"
                            + " remove starting_index and publish again)");
        }
        Credentials key = credentials();
        PrintStream out = System.out;
        Web3j web3j = Web3j.build(new HttpService(rpc));
        try (DropStore store = DropStore.open(spec.outDir().resolve("drop.db"))) {
            String uri = baseUri(store);
            String recipient = to == null ? key.getAddress() : to;
            DropConfig cfg =
                    config(
                            spec,
                            uri,
                            royaltyBps == 0 ? DropConfig.NO_ADDRESS : key.getAddress(),
                            royaltyBps);
            ProgressBar bar = new ProgressBar(out, Drops.terminal(), "mint");
            BatchMinter.Builder b =
                    BatchMinter.builder()
                            .setWeb3j(web3j, rpc)
                            .setCredentials(key)
                            .setJournal(new StoreMintJournal(store))
                            .optMaxBatch(batch)
                            .optConfirmations(confirmations)
                            .optWindow(window)
                            .optStallTimeout(Duration.ofSeconds(stallSeconds))
                            .optAllowMainnet(mainnet)
                            .optListener(progress(bar));
            if (chainId != null) {
                b.optExpectedChainId(chainId);
            }
            if (maxFeeGwei != null) {
                b.optMaxFeePerGas(maxFeeGwei.movePointRight(9).toBigInteger());
            }
            BatchMinter minter = b.build();
            long chain = minter.chainId();
            String contract = store.meta("contract_address").orElse(null);
            if (dryRun) {
                return dryRun(minter, cfg, contract, recipient, chain, out);
            }
            if (contract == null) {
                contract = minter.deploy(cfg);
                store.putMeta("contract_address", contract);
                store.putMeta("chain_id", Long.toString(chain));
                out.println("mint: contract " + contract + " on chain " + chain);
            }
            settings(minter, spec, contract, uri, out);
            bar.begin(spec.size(), spec.size());
            MintReport r = minter.mint(contract, recipient, spec.startId(), spec.size());
            bar.finish();
            if (reveal) {
                long index = minter.revealStartingIndex(contract);
                store.putMeta(META_CHAIN_STARTING_INDEX, Long.toString(index));
                out.println(
                        "mint: starting index "
                                + index
                                + " revealed: token id startId+i shows the metadata at position"
                                + " (i + "
                                + index
                                + ") % "
                                + spec.size());
            }
            out.print(table(r, chain));
            return ExitCodes.OK;
        } finally {
            web3j.shutdown();
        }
    }

    private int dryRun(
            BatchMinter minter,
            DropConfig cfg,
            String contract,
            String recipient,
            long chain,
            PrintStream out) {
        if (contract == null) {
            long gas = minter.estimateDeploy(cfg);
            long batches = (cfg.maxSupply() + batch - 1) / batch;
            out.printf(
                    Locale.ROOT,
                    "dry run on chain %d: deploy ~%,d gas, then %d tokens in about %d batches of at"
                            + " most %d (batch gas is estimated once the contract exists)%n",
                    chain,
                    gas,
                    cfg.maxSupply(),
                    batches,
                    batch);
            return ExitCodes.OK;
        }
        MintPlan p = minter.plan(contract, recipient, cfg.firstTokenId(), cfg.maxSupply());
        out.printf(
                Locale.ROOT,
                "dry run on chain %d, contract %s: %d tokens left in %d batches%n"
                        + "  gas       %,d (%.0f gas/token)%n"
                        + "  cost      %s ETH expected, at most %s ETH%n",
                chain,
                contract,
                p.tokens(),
                p.batches().size(),
                p.totalGas(),
                p.tokens() == 0 ? 0.0 : (double) p.totalGas() / p.tokens(),
                eth(p.expectedCostWei()),
                eth(p.maxCostWei()));
        return ExitCodes.OK;
    }

    /** What the drop's contract is deployed with. */
    static DropConfig config(CollectionSpec spec, String uri, String royaltyReceiver, int bps) {
        return new DropConfig(
                spec.name(), spec.symbol(), spec.size(), spec.startId(), uri, royaltyReceiver, bps);
    }

    /** Progress: the bar advances by each confirmed batch's tokens. */
    static MintListener progress(ProgressBar bar) {
        return e -> {
            if (e.step() == MintEvent.Step.CONFIRMED && e.batch().firstTokenId() >= 0) {
                for (int i = 0; i < e.batch().quantity(); i++) {
                    bar.rendered(e.batch().firstTokenId() + i, 0);
                }
            }
        };
    }

    /**
     * Brings the contract's settings in line with the drop before minting: the provenance hash from
     * {@code out/provenance.json} (settable once on the contract) and the base URI (changed, with
     * an ERC-4906 event, when the drop was published again). Each is sent only when the contract
     * does not already hold it.
     */
    static void settings(
            BatchMinter minter, CollectionSpec spec, String contract, String uri, PrintStream out)
            throws IOException, BadInputException {
        Path provenance = spec.outDir().resolve("provenance.json");
        if (Files.exists(provenance)) {
            String hash;
            try {
                hash = ProvenanceFile.read(provenance).provenanceHash();
            } catch (ProvenanceFormatException e) {
                throw new BadInputException(provenance + ": " + e.getMessage());
            }
            if (minter.setProvenanceHash(contract, hash)) {
                out.println("mint: provenance hash 0x" + hash + " recorded on the contract");
            }
        } else {
            out.println(
                    "mint: no "
                            + provenance
                            + " (run 'serigraph publish'): the contract's provenance hash is not"
                            + " set");
        }
        if (minter.setBaseUri(contract, uri)) {
            out.println("mint: base URI now " + uri + " (ERC-4906 BatchMetadataUpdate)");
        }
    }

    static String table(MintReport r, long chain) {
        return String.format(
                Locale.ROOT,
                "contract   %s (chain %d)%n"
                        + "batches    %d%n"
                        + "tokens     %d%n"
                        + "gas used   %,d%n"
                        + "gas/token  %.1f%n"
                        + "cost       %s ETH%n",
                r.contract(),
                chain,
                r.batches().size(),
                r.tokens(),
                r.gasUsed(),
                r.gasPerToken(),
                eth(r.costWei()));
    }

    static String eth(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
    }

    private String baseUri(DropStore store) throws BadInputException {
        if (baseUri != null) {
            return baseUri;
        }
        return publishedBaseUri(store);
    }

    /** {@code ipfs://<metadata CID>/} from the publish stage's record in the store. */
    static String publishedBaseUri(DropStore store) throws BadInputException {
        return store.meta(PublishStage.META_METADATA_CID)
                .map(cid -> "ipfs://" + cid + "/")
                .orElseThrow(
                        () ->
                                new BadInputException(
                                        "no metadata CID in "
                                                + store.file()
                                                + " (run 'serigraph publish' first) and no"
                                                + " --base-uri given"));
    }

    private Credentials credentials() throws BadInputException {
        return SigningKeys.load(env, keyFile, "--key-file", "no key", true);
    }
}
