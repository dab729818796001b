package io.serigraph.grpc.server;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.serigraph.chain.mint.BatchMinter;
import io.serigraph.chain.mint.DropConfig;
import io.serigraph.chain.mint.MintBatch;
import io.serigraph.chain.mint.MintEvent;
import io.serigraph.chain.mint.MintException;
import io.serigraph.chain.mint.MintPlan;
import io.serigraph.chain.mint.MintReport;
import io.serigraph.grpc.v1.DryRunResponse;
import io.serigraph.grpc.v1.MintBatchMessage;
import io.serigraph.grpc.v1.MintProgress;
import io.serigraph.grpc.v1.MintRequest;
import io.serigraph.grpc.v1.MintServiceGrpc;
import io.serigraph.grpc.v1.MintStatusRequest;
import io.serigraph.grpc.v1.MintStatusResponse;
import io.serigraph.pipeline.publish.PublishStage;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.DropStore;
import io.serigraph.pipeline.store.StoreMintJournal;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * {@code serigraph.v1.MintService}: chain-bridge's {@link BatchMinter} over the drop's store on the
 * node ({@link StoreMintJournal}), as {@code serigraph mint} does on a drop folder. A cancelled or
 * expired call stops after the transaction step in progress; everything sent is journalled, so the
 * next Mint finishes it without minting twice.
 */
final class MintServiceImpl extends MintServiceGrpc.MintServiceImplBase implements AutoCloseable {
    static final String META_CONTRACT = "contract_address";
    static final String META_CHAIN = "chain_id";
    private static final int DEFAULT_BATCH = 100;
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    private final MintSettings settings;
    private final Web3j web3j;
    private final NodeDrops drops;
    private final Workspaces workspaces;
    private final ServerStats stats;

    MintServiceImpl(
            MintSettings settings, NodeDrops drops, Workspaces workspaces, ServerStats stats) {
        this.settings = settings;
        this.web3j = Web3j.build(new HttpService(settings.rpcUrl()));
        this.drops = drops;
        this.workspaces = workspaces;
        this.stats = stats;
    }

    /** The checked request's parts. */
    private record Job(NodeDrops.Drop drop, DropConfig config, String to, int maxBatch) {}

    private Job job(MintRequest r) throws Exception {
        if (r.getRoyaltyBps() > 10_000) {
            throw new BadRequestException(
                    "royalty_bps", "at most 10000 basis points, was " + r.getRoyaltyBps());
        }
        if (!r.getTo().isEmpty() && !ADDRESS.matcher(r.getTo()).matches()) {
            throw new BadRequestException("to", "an address is 0x and 40 hex digits");
        }
        if (r.getMaxBatch() > 10_000) {
            throw new BadRequestException("max_batch", "at most 10000, was " + r.getMaxBatch());
        }
        workspaces.get(r.getSpec()); // the spec against its layer set, with client-facing errors
        NodeDrops.Drop drop = drops.open(r.getSpec());
        CollectionSpec spec = drop.spec;
        String uri = r.getBaseUri();
        if (uri.isEmpty()) {
            uri =
                    drop.store
                            .meta(PublishStage.META_METADATA_CID)
                            .map(cid -> "ipfs://" + cid + "/")
                            .orElseThrow(
                                    () ->
                                            new BadRequestException(
                                                    "base_uri",
                                                    "the drop has no published metadata CID on"
                                                            + " this node: give the base URI"));
        }
        String sender = settings.credentials().getAddress();
        DropConfig cfg =
                new DropConfig(
                        spec.name(),
                        spec.symbol(),
                        spec.size(),
                        spec.startId(),
                        uri,
                        r.getRoyaltyBps() == 0 ? DropConfig.NO_ADDRESS : sender,
                        r.getRoyaltyBps());
        return new Job(
                drop,
                cfg,
                r.getTo().isEmpty() ? sender : r.getTo(),
                r.getMaxBatch() == 0 ? DEFAULT_BATCH : r.getMaxBatch());
    }

    private BatchMinter minter(DropStore store, int maxBatch, Consumer<MintEvent> listener) {
        BatchMinter.Builder b =
                BatchMinter.builder()
                        .setWeb3j(web3j, "the node's RPC endpoint")
                        .setCredentials(settings.credentials())
                        .setJournal(new StoreMintJournal(store))
                        .optMaxBatch(maxBatch)
                        .optAllowMainnet(settings.allowMainnet())
                        .optListener(listener::accept);
        if (settings.expectedChainId() != null) {
            b.optExpectedChainId(settings.expectedChainId());
        }
        return b.build();
    }

    @Override
    public void dryRun(MintRequest r, StreamObserver<DryRunResponse> responses) {
        try {
            Job job = job(r);
            BatchMinter minter = minter(job.drop.store, job.maxBatch, e -> {});
            DryRunResponse.Builder b =
                    DryRunResponse.newBuilder()
                            .setChainId(minter.chainId())
                            .setSender(minter.sender());
            String contract = job.drop.store.meta(META_CONTRACT).orElse(null);
            if (contract == null) {
                b.setDeployGas(minter.estimateDeploy(job.config));
            } else {
                MintPlan p =
                        minter.plan(
                                contract,
                                job.to,
                                job.config.firstTokenId(),
                                job.config.maxSupply());
                b.setContract(contract)
                        .setTokensLeft(p.tokens())
                        .setBatches(p.batches().size())
                        .setTotalGas(p.totalGas())
                        .setExpectedCostWei(p.expectedCostWei().toString())
                        .setMaxCostWei(p.maxCostWei().toString());
            }
            responses.onNext(b.build());
            responses.onCompleted();
        } catch (Exception e) {
            responses.onError(Errors.toException(e));
        }
    }

    @Override
    public void mint(MintRequest r, StreamObserver<MintProgress> responses) {
        ServerCallStreamObserver<MintProgress> call =
                (ServerCallStreamObserver<MintProgress>) responses;
        call.setOnCancelHandler(() -> {});
        Context context = Context.current();
        boolean completed = false;
        try {
            Job job = job(r);
            NodeDrops.Drop drop = job.drop;
            if (!drop.mint.tryLock()) {
                throw new DropStateException(
                        "drop " + drop.id + " is already minting on this node; wait for it");
            }
            try {
                String[] contract = {drop.store.meta(META_CONTRACT).orElse("")};
                BatchMinter minter =
                        minter(
                                drop.store,
                                job.maxBatch,
                                e -> {
                                    send(call, context, progress(e, contract[0]));
                                    // Between steps, never inside one: what was sent is
                                    // journalled, and the next Mint picks it up.
                                    if (context.isCancelled()) {
                                        throw new CancellationException("the Mint call ended");
                                    }
                                });
                // Deploys, or finds the deployment in the journal (also one a stopped Mint left
                // before it could record the address).
                contract[0] = minter.deploy(job.config);
                if (drop.store.meta(META_CONTRACT).isEmpty()) {
                    drop.store.putMeta(META_CONTRACT, contract[0]);
                    drop.store.putMeta(META_CHAIN, Long.toString(minter.chainId()));
                }
                MintReport report =
                        minter.mint(
                                contract[0],
                                job.to,
                                job.config.firstTokenId(),
                                job.config.maxSupply());
                send(
                        call,
                        context,
                        MintProgress.newBuilder()
                                .setStep("done")
                                .setContract(report.contract())
                                .setMinted(report.tokens())
                                .setTotal(job.config.maxSupply())
                                .setGasUsed(report.gasUsed())
                                .setCostWei(report.costWei().toString())
                                .build());
                call.onCompleted();
                completed = true;
            } finally {
                drop.mint.unlock();
            }
        } catch (Exception e) {
            if (!context.isCancelled()) {
                call.onError(Errors.toException(scrub(e)));
            }
        } finally {
            stats.jobEnded(completed);
        }
    }

    private static void send(
            ServerCallStreamObserver<MintProgress> call, Context context, MintProgress p) {
        synchronized (call) {
            if (!context.isCancelled()) {
                call.onNext(p);
            }
        }
    }

    private static MintProgress progress(MintEvent e, String contract) {
        return MintProgress.newBuilder()
                .setStep(e.step().name().toLowerCase(Locale.ROOT))
                .setContract(contract)
                .setBatch(message(e.batch()))
                .setMinted(e.minted())
                .setTotal(e.total())
                .build();
    }

    private static MintBatchMessage message(MintBatch b) {
        return MintBatchMessage.newBuilder()
                .setFirstTokenId(b.firstTokenId())
                .setQuantity(b.quantity())
                .setNonce(b.nonce())
                .setTxHash(b.txHash() == null ? "" : b.txHash())
                .setStatus(b.status().name())
                .setGasUsed(b.gasUsed())
                .setCostWei(String.valueOf(b.costWei()))
                .setDetail(b.detail() == null ? "" : b.detail())
                .build();
    }

    /** A mint failure with the node's RPC URL (which may hold an API key) taken out. */
    private Exception scrub(Exception e) {
        if (e instanceof MintException m && m.getMessage() != null) {
            return new MintException(
                    m.getMessage().replace(settings.rpcUrl(), "the node's RPC endpoint"),
                    m.getCause());
        }
        return e;
    }

    @Override
    public void status(MintStatusRequest r, StreamObserver<MintStatusResponse> responses) {
        try {
            NodeDrops.Drop drop =
                    drops.existing(r.getSpec())
                            .orElseThrow(
                                    () -> new DropNotFoundException(NodeDrops.id(r.getSpec())));
            MintStatusResponse.Builder b =
                    MintStatusResponse.newBuilder()
                            .setContract(drop.store.meta(META_CONTRACT).orElse(""))
                            .setChainId(Long.parseLong(drop.store.meta(META_CHAIN).orElse("0")));
            long minted = 0;
            for (MintBatch batch : drop.store.mintBatches()) {
                b.addBatches(message(batch));
                if (batch.status() == MintBatch.Status.CONFIRMED
                        && batch.firstTokenId() != MintBatch.DEPLOY) {
                    minted += batch.quantity();
                }
            }
            responses.onNext(b.setMinted(minted).build());
            responses.onCompleted();
        } catch (Exception e) {
            responses.onError(Errors.toException(e));
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
