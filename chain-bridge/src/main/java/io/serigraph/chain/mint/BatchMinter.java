package io.serigraph.chain.mint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.chain.contract.SerigraphDrop;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint96;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * Deploys a SerigraphDrop contract and mints a drop's tokens to it in batches, crash-safe.
 *
 * <p>Every transaction is signed, then journalled ({@link MintJournal}, with its nonce, hash and
 * raw bytes), then sent. Each batch calls {@code mintBatchAt(firstTokenId, to, quantity)}, which
 * reverts unless the contract's next token id is {@code firstTokenId}: a batch can never mint
 * twice, and batches mint consecutive ids, so no token is skipped.
 *
 * <p>Up to {@code optWindow} batches are in flight, with consecutive nonces; the oldest is awaited
 * to {@code optConfirmations} blocks, its receipt read again at every poll: a batch a reorg takes
 * away is sent again exactly as signed (so it cannot mint twice). A transaction unmined for {@code
 * optStallTimeout} is replaced: same nonce, gas and call, both fees raised by 12.5 %, refused with
 * an error when that passes the fee ceiling. Every replacement is journalled as a transaction of
 * its own; when one of a nonce's transactions is mined, the others are marked dropped.
 *
 * <p>A resumed run first settles every journalled transaction that is not final (the receipt of
 * whichever of a nonce's transactions was mined; otherwise the latest is sent again as signed, or
 * all are marked dropped when their nonce went to another transaction), then reads the contract's
 * next token id and mints from there.
 *
 * <p>Confirmations are the reorg depth it handles: once a batch is journalled confirmed it is not
 * looked at again, so choose {@code optConfirmations} by the chain's finality. Not thread-safe: one
 * call at a time per instance.
 *
 * <p>Batch size: at most {@code optMaxBatch} tokens (default 100), shrunk while the estimated gas
 * exceeds half the block gas limit. Fees: EIP-1559, {@code maxFeePerGas = 2 * baseFee + tip},
 * capped at {@code optMaxFeePerGas}; a base fee above the cap stops the mint with an error.
 */
public final class BatchMinter {
    private static final String ABI_RESOURCE = "/io/serigraph/chain/contract/SerigraphDrop.abi";
    private static final BigInteger DEFAULT_TIP = BigInteger.valueOf(1_000_000_000L);

    private final Web3j web3j;
    private final Credentials credentials;
    private final MintJournal journal;
    private final int maxBatch;
    private final int confirmations;
    private final int window;
    private final Duration stallTimeout;
    private final BigInteger maxFeeCeiling;
    private final BigInteger tip;
    private final long expectedChainId;
    private final boolean allowMainnet;
    private final MintListener listener;
    private final Duration receiptTimeout;
    private final Duration pollInterval;
    private final String rpcName;
    private long chainId = -1;

    /** The sender's mined nonce at the last poll (a drop in it reveals a reorg). */
    private long lastUsedNonce = -1;

    private BatchMinter(Builder b) {
        this.web3j = Objects.requireNonNull(b.web3j, "setWeb3j");
        this.credentials = Objects.requireNonNull(b.credentials, "setCredentials");
        this.journal = Objects.requireNonNull(b.journal, "setJournal");
        this.maxBatch = b.maxBatch;
        this.confirmations = b.confirmations;
        this.window = b.window;
        this.stallTimeout = b.stallTimeout;
        this.maxFeeCeiling = b.maxFeePerGas;
        this.tip = b.tip;
        this.expectedChainId = b.expectedChainId;
        this.allowMainnet = b.allowMainnet;
        this.listener = b.listener;
        this.receiptTimeout = b.receiptTimeout;
        this.pollInterval = b.pollInterval;
        this.rpcName = b.rpcName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The address that signs and pays. */
    public String sender() {
        return credentials.getAddress();
    }

    /**
     * Connects and checks the chain: the RPC node must answer, its chain id must be the expected
     * one (when set), and chain id 1 (Ethereum mainnet) needs {@code optAllowMainnet(true)}.
     *
     * @return the chain id
     */
    public long chainId() {
        if (chainId < 0) {
            long id = rpc(web3j.ethChainId(), "read the chain id").getChainId().longValueExact();
            if (expectedChainId >= 0 && id != expectedChainId) {
                throw new MintException(
                        "the RPC node at "
                                + rpcName
                                + " serves chain id "
                                + id
                                + ", not the expected "
                                + expectedChainId);
            }
            if (id == 1 && !allowMainnet) {
                throw new MintException(
                        "the RPC node at "
                                + rpcName
                                + " is Ethereum mainnet (chain id 1): pass --mainnet to mint there");
            }
            chainId = id;
        }
        return chainId;
    }

    /**
     * Deploys the contract, or returns the one a previous run deployed (finishing it if it was only
     * signed or sent).
     *
     * @return the contract address
     */
    public String deploy(DropConfig cfg) {
        chainId();
        drain(open(), 0, 0, true);
        Optional<MintBatch> previous =
                journal.batches().stream()
                        .filter(
                                b ->
                                        b.firstTokenId() == MintBatch.DEPLOY
                                                && b.status() != MintBatch.Status.DROPPED)
                        .reduce((a, b) -> b);
        if (previous.isPresent()) {
            MintBatch d = previous.get();
            if (d.status() == MintBatch.Status.CONFIRMED) {
                return d.detail();
            }
            throw new MintException(
                    "the deployment " + d.txHash() + " reverted; nothing to mint to");
        }
        String data = deployData(cfg);
        long gas = estimate(null, data, "deploy the contract");
        Fees fees = fees();
        long gasLimit = Math.min(gas + gas / 5, fees.blockGasLimit);
        checkFunds(gasLimit, fees, "the deployment", BigInteger.ZERO);
        BigInteger nonce = pendingNonce();
        String address =
                org.web3j.crypto.ContractUtils.generateContractAddress(
                        credentials.getAddress(), nonce);
        RawTransaction raw =
                RawTransaction.createTransaction(
                        chainId,
                        nonce,
                        BigInteger.valueOf(gasLimit),
                        "",
                        BigInteger.ZERO,
                        data,
                        fees.tip,
                        fees.maxFee);
        Deque<Pending> one = new ArrayDeque<>();
        one.add(new Pending(signAndSend(raw, MintBatch.DEPLOY, 0, address, 0, 0, false)));
        MintBatch d = drain(one, 0, 0, false).get(0);
        if (d.status() != MintBatch.Status.CONFIRMED) {
            throw new MintException("the deployment " + d.txHash() + " reverted");
        }
        return address;
    }

    /** A dry run of the deployment: its estimated gas. Sends nothing. */
    public long estimateDeploy(DropConfig cfg) {
        chainId();
        return estimate(null, deployData(cfg), "deploy the contract");
    }

    /**
     * A dry run: the batches, gas and cost of minting tokens {@code firstTokenId ..
     * firstTokenId+count-1} to {@code to}, from where the contract stands now. Sends nothing.
     */
    public MintPlan plan(String contract, String to, long firstTokenId, long count) {
        chainId();
        long next = nextTokenId(contract);
        long end = checkRange(contract, next, firstTokenId, count);
        Fees fees = fees();
        List<long[]> batches = new ArrayList<>();
        List<Long> gas = new ArrayList<>();
        // Every batch is estimated as if it were the next one (later ids cannot be simulated before
        // the earlier batches exist); batches of the same size cost the same, so each size is
        // estimated once.
        Map<Integer, Long> estimates = new HashMap<>();
        int size = end > next ? batchSize(contract, to, next, end - next, fees) : 1;
        long total = 0;
        for (long id = next; id < end; id += size) {
            int q = (int) Math.min(size, end - id);
            long g =
                    estimates.computeIfAbsent(
                            q,
                            k ->
                                    estimate(
                                            contract,
                                            mintData(next, to, k),
                                            "mint " + k + " tokens"));
            batches.add(new long[] {id, q});
            gas.add(g);
            total += g;
        }
        BigInteger t = BigInteger.valueOf(total);
        return new MintPlan(
                batches,
                gas,
                total,
                t.multiply(fees.baseFee.add(fees.tip)),
                t.multiply(fees.maxFee),
                chainId);
    }

    /**
     * Mints tokens {@code firstTokenId .. firstTokenId+count-1} to {@code to}, resuming whatever a
     * previous run left, and returns what all runs did.
     *
     * <p>Up to {@code optWindow} batches are in flight at once (consecutive nonces, each journalled
     * before it is sent); the oldest is awaited to {@code optConfirmations} blocks before another
     * is sent in its place.
     */
    public MintReport mint(String contract, String to, long firstTokenId, long count) {
        chainId();
        drain(open(), 0, 0, true);
        long next = nextTokenId(contract);
        long end = checkRange(contract, next, firstTokenId, count);
        long minted = next - firstTokenId;
        Deque<Pending> inflight = new ArrayDeque<>();
        // Gas by batch size, estimated before any batch is in flight (later ids cannot be simulated
        // while earlier batches are unmined; the cost does not depend on the id).
        Map<Integer, Long> gasBySize = new HashMap<>();
        int size = 0;
        while (next < end || !inflight.isEmpty()) {
            if (next < end && inflight.size() < window) {
                Fees fees = fees();
                if (size == 0) {
                    // Nothing of ours is in flight yet: the next id is the same in the node's
                    // latest and pending state, so this is the one moment every batch size the
                    // mint will use (the full one and the last, shorter one) can be estimated
                    // whichever state the node estimates against.
                    size = batchSize(contract, to, next, end - next, fees);
                    long first = next;
                    for (int k : new int[] {size, (int) ((end - next) % size)}) {
                        if (k > 0) {
                            gasBySize.computeIfAbsent(
                                    k,
                                    n ->
                                            estimate(
                                                    contract,
                                                    mintData(first, to, n),
                                                    "mint tokens "
                                                            + first
                                                            + ".."
                                                            + (first + n - 1)));
                        }
                    }
                }
                int q = (int) Math.min(size, end - next);
                String range = "tokens " + next + ".." + (next + q - 1);
                long at = next;
                long gas =
                        gasBySize.computeIfAbsent(
                                q, k -> estimate(contract, mintData(at, to, k), "mint " + range));
                long gasLimit = Math.min(gas + gas / 5, fees.blockGasLimit);
                BigInteger reserved =
                        inflight.stream()
                                .map(Pending::maxCost)
                                .reduce(BigInteger.ZERO, BigInteger::add);
                checkFunds(gasLimit, fees, "the batch of " + range, reserved);
                BigInteger nonce =
                        inflight.isEmpty()
                                ? pendingNonce()
                                : BigInteger.valueOf(inflight.getLast().nonce + 1);
                RawTransaction raw =
                        RawTransaction.createTransaction(
                                chainId,
                                nonce,
                                BigInteger.valueOf(gasLimit),
                                contract,
                                BigInteger.ZERO,
                                mintData(next, to, q),
                                fees.tip,
                                fees.maxFee);
                inflight.add(new Pending(signAndSend(raw, next, q, "", minted, count, false)));
                next += q;
                continue;
            }
            MintBatch b = poll(inflight, minted, count, false);
            if (b == null) {
                pause();
                continue;
            }
            if (b.status() != MintBatch.Status.CONFIRMED) {
                // The batches sent after it expect ids it did not mint: they revert too. Settle
                // them, so the journal holds no open transaction, then stop.
                drain(inflight, minted, count, true);
                throw new MintException(
                        "the batch of tokens "
                                + b.firstTokenId()
                                + ".."
                                + b.lastTokenId()
                                + " ("
                                + b.txHash()
                                + ") reverted: "
                                + b.detail()
                                + "; run again to resume from the contract's next token id");
            }
            minted += b.quantity();
        }
        long onChain = nextTokenId(contract);
        if (onChain != end) {
            throw new MintException(
                    "the contract's next token id is "
                            + onChain
                            + ", expected "
                            + end
                            + ": someone else minted on this contract");
        }
        List<MintBatch> done =
                journal.batches().stream()
                        .filter(
                                b ->
                                        b.firstTokenId() >= firstTokenId
                                                && b.status() == MintBatch.Status.CONFIRMED)
                        .sorted(Comparator.comparingLong(MintBatch::firstTokenId))
                        .toList();
        long tokens = done.stream().mapToLong(MintBatch::quantity).sum();
        long gas = done.stream().mapToLong(MintBatch::gasUsed).sum();
        BigInteger cost =
                done.stream().map(MintBatch::costWei).reduce(BigInteger.ZERO, BigInteger::add);
        return new MintReport(contract, done, tokens, gas, cost);
    }

    // ---- the owner's settings ----

    /**
     * Records the collection's provenance hash on the contract, which keeps only the first one: a
     * contract already holding this hash gets nothing sent, one holding another is an error.
     *
     * @param provenanceHash 64 hex digits (SHA-256), with or without {@code 0x}
     * @return whether a transaction was sent
     */
    public boolean setProvenanceHash(String contract, String provenanceHash) {
        String hex = provenanceHash.startsWith("0x") ? provenanceHash.substring(2) : provenanceHash;
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new MintException(
                    "the provenance hash must be 64 hex digits (SHA-256), not '"
                            + provenanceHash
                            + "'");
        }
        byte[] want = Numeric.hexStringToByteArray(hex);
        chainId();
        drain(open(), 0, 0, true);
        byte[] has = read(contract, "provenanceHash()", at(contract).provenanceHash());
        if (java.util.Arrays.equals(has, want)) {
            return false;
        }
        if (new BigInteger(1, has).signum() != 0) {
            throw new MintException(
                    "the contract "
                            + contract
                            + " already holds the provenance hash "
                            + Numeric.toHexString(has)
                            + ", not this drop's 0x"
                            + hex.toLowerCase(java.util.Locale.ROOT)
                            + ": it is settable once (was the drop republished with other images?)");
        }
        ownerCall(
                contract,
                view().setProvenanceHash(want).encodeFunctionCall(),
                "setProvenanceHash(0x" + hex.toLowerCase(java.util.Locale.ROOT) + ")");
        return true;
    }

    /**
     * Points the contract's token URIs at {@code baseUri} unless it already does; the contract
     * emits ERC-4906 {@code BatchMetadataUpdate} for every token.
     *
     * @return whether a transaction was sent
     */
    public boolean setBaseUri(String contract, String baseUri) {
        chainId();
        drain(open(), 0, 0, true);
        if (baseUri.equals(read(contract, "baseURI()", at(contract).baseURI()))) {
            return false;
        }
        ownerCall(
                contract,
                view().setBaseURI(baseUri).encodeFunctionCall(),
                "setBaseURI(" + baseUri + ")");
        return true;
    }

    /**
     * The contract's commit-reveal starting index: commits to the next block's hash (once), waits
     * for that block, then reveals; the contract shifts every token URI by the index (modulo the
     * maximum supply) and emits ERC-4906 {@code BatchMetadataUpdate}. Resumable at any point; an
     * index already revealed is returned as it is.
     *
     * @return the revealed starting index
     */
    public long revealStartingIndex(String contract) {
        chainId();
        drain(open(), 0, 0, true);
        SerigraphDrop drop = at(contract);
        if (Boolean.TRUE.equals(
                read(contract, "startingIndexRevealed()", drop.startingIndexRevealed()))) {
            return read(contract, "startingIndex()", drop.startingIndex()).longValueExact();
        }
        long committed =
                read(contract, "startingIndexBlock()", drop.startingIndexBlock()).longValueExact();
        if (committed == 0) {
            ownerCall(
                    contract,
                    view().commitStartingIndex().encodeFunctionCall(),
                    "commitStartingIndex()");
            committed =
                    read(contract, "startingIndexBlock()", drop.startingIndexBlock())
                            .longValueExact();
        }
        long deadline = System.nanoTime() + receiptTimeout.toNanos();
        while (head() <= committed) {
            if (System.nanoTime() > deadline) {
                throw new MintException(
                        "the chain did not reach block "
                                + (committed + 1)
                                + " (the committed block "
                                + committed
                                + " and one more) within "
                                + receiptTimeout.toSeconds()
                                + " s; run again to reveal");
            }
            pause();
        }
        if (head() - committed >= 256) {
            throw new MintException(
                    "the starting index committed to block "
                            + committed
                            + " can no longer be revealed: its hash is more than 256 blocks old"
                            + " and the contract takes one commitment only");
        }
        ownerCall(
                contract,
                view().revealStartingIndex().encodeFunctionCall(),
                "revealStartingIndex()");
        return read(contract, "startingIndex()", drop.startingIndex()).longValueExact();
    }

    /** Sends one journalled transaction of the owner to the contract and awaits it. */
    private void ownerCall(String contract, String data, String what) {
        long gas = estimate(contract, data, "call " + what);
        Fees fees = fees();
        long gasLimit = Math.min(gas + gas / 5, fees.blockGasLimit);
        checkFunds(gasLimit, fees, what, BigInteger.ZERO);
        RawTransaction raw =
                RawTransaction.createTransaction(
                        chainId,
                        pendingNonce(),
                        BigInteger.valueOf(gasLimit),
                        contract,
                        BigInteger.ZERO,
                        data,
                        fees.tip,
                        fees.maxFee);
        Deque<Pending> one = new ArrayDeque<>();
        one.add(new Pending(signAndSend(raw, MintBatch.CALL, 0, what, 0, 0, false)));
        MintBatch b = drain(one, 0, 0, false).get(0);
        if (b.status() != MintBatch.Status.CONFIRMED) {
            throw new MintException(what + " (" + b.txHash() + ") reverted on " + contract);
        }
    }

    private SerigraphDrop at(String contract) {
        return SerigraphDrop.load(
                contract,
                web3j,
                new ReadonlyTransactionManager(web3j, credentials.getAddress()),
                new DefaultGasProvider());
    }

    private <T> T read(
            String contract, String what, org.web3j.protocol.core.RemoteFunctionCall<T> call) {
        try {
            return call.send();
        } catch (Exception e) {
            throw new MintException(
                    "cannot read "
                            + what
                            + " of "
                            + contract
                            + " at "
                            + rpcName
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private long head() {
        return rpc(web3j.ethBlockNumber(), "read the block number")
                .getBlockNumber()
                .longValueExact();
    }

    // ---- transactions ----

    /**
     * One nonce in flight: the journalled transactions signed with it, the original first and its
     * replacements after (the latest has the highest fee).
     */
    private static final class Pending {
        final long nonce;
        final List<MintBatch> attempts = new ArrayList<>();

        /** When the latest attempt was (re)sent, and when this nonce was first sent. */
        long sentAt = System.nanoTime();

        final long waitingSince = sentAt;

        /** The block the receipt was last seen in, or -1. */
        long includedIn = -1;

        /** The first transaction seen for this nonce: its range, whatever becomes of it. */
        final MintBatch original;

        Pending(MintBatch first) {
            this.nonce = first.nonce();
            this.original = first;
            attempts.add(first);
        }

        MintBatch latest() {
            return attempts.get(attempts.size() - 1);
        }

        /** The most the latest attempt can cost: gas limit times its fee cap. */
        BigInteger maxCost() {
            Transaction1559 t = decode(latest());
            return t.getGasLimit().multiply(t.getMaxFeePerGas());
        }
    }

    /** The journalled transactions that are not final, grouped by nonce, in nonce order. */
    private Deque<Pending> open() {
        Map<Long, Pending> byNonce = new TreeMap<>();
        for (MintBatch b : journal.batches()) {
            if (!b.status().terminal()) {
                Pending p = byNonce.get(b.nonce());
                if (p == null) {
                    byNonce.put(b.nonce(), new Pending(b));
                } else {
                    p.attempts.add(b);
                }
            }
        }
        return new ArrayDeque<>(byNonce.values());
    }

    /**
     * Brings every transaction in {@code inflight} to a final status, in nonce order: those a
     * previous run left (resuming: each is sent again as signed unless it has a receipt; one whose
     * nonce went elsewhere is marked dropped; a revert is recorded, not thrown), or those just
     * sent.
     *
     * @return the final transactions, in nonce order
     */
    private List<MintBatch> drain(
            Deque<Pending> inflight, long minted, long total, boolean resuming) {
        if (resuming) {
            for (Pending p : List.copyOf(inflight)) {
                if (findReceipt(p).isEmpty() && !resend(p)) {
                    inflight.remove(p);
                }
            }
        }
        List<MintBatch> done = new ArrayList<>();
        while (!inflight.isEmpty()) {
            MintBatch b = poll(inflight, minted, total, resuming);
            if (b == null) {
                pause();
            } else {
                done.add(b);
            }
        }
        return done;
    }

    /**
     * Looks once at every nonce in flight: notes receipts (and receipts a reorg took away: those
     * transactions are sent again as signed), replaces a stalled transaction with a higher fee, and
     * finishes the oldest nonce once its receipt has enough confirmations.
     *
     * @return the oldest nonce's final transaction, or null while it is not final yet
     */
    private MintBatch poll(Deque<Pending> inflight, long minted, long total, boolean resuming) {
        long used = latestNonce();
        long head = head();
        // The sender's mined nonce going down means a reorg took our transactions away, maybe
        // some never seen in a block: every unmined one is sent again.
        boolean reorged = used < lastUsedNonce;
        lastUsedNonce = used;
        Pending oldest = inflight.getFirst();
        TransactionReceipt ready = null;
        for (Pending p : List.copyOf(inflight)) {
            Optional<TransactionReceipt> r = findReceipt(p);
            if (r.isPresent()) {
                long block = r.get().getBlockNumber().longValueExact();
                MintBatch mined = attempt(p, r.get().getTransactionHash());
                if (p.includedIn != block) {
                    p.includedIn = block;
                    listener.on(new MintEvent(MintEvent.Step.INCLUDED, mined, minted, total));
                }
                if (p == oldest && head - block + 1 >= confirmations) {
                    ready = r.get();
                }
            } else if (p.includedIn >= 0 || reorged) {
                // A reorg took its block away: the same signed bytes go out again.
                p.includedIn = -1;
                if (!resend(p)) {
                    inflight.remove(p);
                    if (!resuming) {
                        throw lost(p);
                    }
                    if (p == oldest) {
                        return dropped(p);
                    }
                }
            } else if (used > p.nonce && latestNonce() > p.nonce && findReceipt(p).isEmpty()) {
                // Read twice around the receipts: a reorg between the reads is not a lost nonce.
                for (MintBatch b : p.attempts) {
                    mark(
                            b,
                            MintBatch.Status.DROPPED,
                            0,
                            BigInteger.ZERO,
                            "nonce " + p.nonce + " went to another transaction");
                }
                inflight.remove(p);
                if (!resuming) {
                    throw lost(p);
                }
                if (p == oldest) {
                    return dropped(p);
                }
            } else if (System.nanoTime() - p.sentAt > stallTimeout.toNanos()) {
                replace(p, minted, total);
            }
        }
        if (ready != null) {
            inflight.removeFirst();
            return finish(
                    oldest, attempt(oldest, ready.getTransactionHash()), ready, minted, total);
        }
        if (System.nanoTime() - oldest.waitingSince > receiptTimeout.toNanos()) {
            throw new MintException(
                    "transaction "
                            + oldest.latest().txHash()
                            + " has "
                            + (oldest.includedIn < 0 ? "no receipt" : "too few confirmations")
                            + " after "
                            + receiptTimeout.toSeconds()
                            + " s; run again to resume (it stays journalled)");
        }
        return null;
    }

    private static MintBatch dropped(Pending p) {
        return p.attempts.isEmpty()
                ? null
                : p.latest().withStatus(MintBatch.Status.DROPPED, 0, BigInteger.ZERO, "dropped");
    }

    private static MintBatch attempt(Pending p, String txHash) {
        return p.attempts.stream()
                .filter(b -> b.txHash().equalsIgnoreCase(txHash))
                .findFirst()
                .orElseThrow();
    }

    private MintException lost(Pending p) {
        MintBatch b = first(p);
        return new MintException(
                "nonce "
                        + p.nonce
                        + " ("
                        + describe(b)
                        + ") went to a transaction that is not in the journal (is the key used"
                        + " elsewhere?); run again: the minter reads the contract and goes on");
    }

    /** What a journalled transaction does, for messages. */
    private static String describe(MintBatch b) {
        if (b.firstTokenId() == MintBatch.DEPLOY) {
            return "the deployment";
        }
        if (b.firstTokenId() == MintBatch.CALL) {
            return "the call " + b.detail();
        }
        return "the batch of tokens " + b.firstTokenId() + ".." + b.lastTokenId();
    }

    /** The first transaction journalled for a nonce (kept even when it was dropped). */
    private static MintBatch first(Pending p) {
        return p.original;
    }

    /** The receipt of whichever of a nonce's transactions was mined, if one was. */
    private Optional<TransactionReceipt> findReceipt(Pending p) {
        for (int i = p.attempts.size() - 1; i >= 0; i--) {
            Optional<TransactionReceipt> r = receipt(p.attempts.get(i).txHash());
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    /**
     * Sends the latest transaction of a nonce again, exactly as signed. A node that refuses it
     * (other than for knowing it already, or its nonce being used: the next poll sorts that out)
     * gets it marked dropped.
     *
     * @return whether a transaction of this nonce is still in play
     */
    private boolean resend(Pending p) {
        MintBatch b = p.latest();
        Response<?> sent = send(web3j.ethSendRawTransaction(b.signedTx()), "resend " + b.txHash());
        p.sentAt = System.nanoTime();
        if (sent.hasError()
                && !alreadyKnown(sent.getError().getMessage())
                && !nonceTooLow(sent.getError().getMessage())) {
            mark(
                    b,
                    MintBatch.Status.DROPPED,
                    0,
                    BigInteger.ZERO,
                    "rejected: " + sent.getError().getMessage());
            p.attempts.remove(p.attempts.size() - 1);
            return !p.attempts.isEmpty();
        }
        if (b.status() == MintBatch.Status.SIGNED) {
            p.attempts.set(
                    p.attempts.size() - 1,
                    mark(b, MintBatch.Status.SENT, 0, BigInteger.ZERO, b.detail()));
        }
        return true;
    }

    /**
     * Replaces a stalled transaction: the same nonce, gas and call, with both fees raised by at
     * least 12.5 % (nodes refuse a replacement bumped by less than 10 %), within the fee ceiling.
     */
    private void replace(Pending p, long minted, long total) {
        MintBatch last = p.latest();
        Transaction1559 old = decode(last);
        Fees fees = fees();
        BigInteger minTip = bump(old.getMaxPriorityFeePerGas());
        BigInteger minMax = bump(old.getMaxFeePerGas());
        BigInteger newTip = minTip.max(fees.tip);
        BigInteger newMax = minMax.max(fees.baseFee.shiftLeft(1).add(newTip));
        if (maxFeeCeiling != null) {
            newMax = newMax.min(maxFeeCeiling);
            newTip = newTip.min(newMax);
            if (newMax.compareTo(minMax) < 0 || newTip.compareTo(minTip) < 0) {
                throw new MintException(
                        "transaction "
                                + last.txHash()
                                + " (nonce "
                                + p.nonce
                                + ") is stalled at a fee cap of "
                                + old.getMaxFeePerGas()
                                + " wei/gas; replacing it needs at least "
                                + minMax
                                + " wei/gas (+12.5 %), above the fee ceiling of "
                                + maxFeeCeiling
                                + " wei/gas: raise the ceiling or run again later (it stays"
                                + " journalled)");
            }
        }
        String to = old.getTo() == null || old.getTo().equals("0x") ? "" : old.getTo();
        RawTransaction raw =
                RawTransaction.createTransaction(
                        chainId,
                        old.getNonce(),
                        old.getGasLimit(),
                        to,
                        old.getValue(),
                        old.getData(),
                        newTip,
                        newMax);
        MintBatch b =
                signAndSend(
                        raw,
                        last.firstTokenId(),
                        last.quantity(),
                        last.detail(),
                        minted,
                        total,
                        true);
        if (b.status() != MintBatch.Status.DROPPED) {
            p.attempts.add(b);
        }
        p.sentAt = System.nanoTime();
    }

    /** x + 12.5 %, rounded up, and at least x + 1. */
    private static BigInteger bump(BigInteger x) {
        return x.multiply(BigInteger.valueOf(9))
                .add(BigInteger.valueOf(7))
                .divide(BigInteger.valueOf(8))
                .max(x.add(BigInteger.ONE));
    }

    private static Transaction1559 decode(MintBatch b) {
        return (Transaction1559) TransactionDecoder.decode(b.signedTx()).getTransaction();
    }

    /**
     * Signs {@code raw}, journals it, sends it and journals that it was sent. A node that refuses
     * it gets it marked dropped and a {@link MintException}; except that a replacement refused
     * because its nonce is already used (the transaction it replaces was just mined) is only marked
     * dropped and returned.
     */
    private MintBatch signAndSend(
            RawTransaction raw,
            long first,
            int quantity,
            String detail,
            long minted,
            long total,
            boolean replacement) {
        byte[] signed = TransactionEncoder.signMessage(raw, chainId, credentials);
        String hex = Numeric.toHexString(signed);
        String hash = Hash.sha3(hex);
        MintBatch b =
                new MintBatch(
                        first,
                        quantity,
                        raw.getNonce().longValueExact(),
                        hash,
                        hex,
                        MintBatch.Status.SIGNED,
                        0,
                        BigInteger.ZERO,
                        detail);
        journal.recordIntent(b);
        listener.on(new MintEvent(MintEvent.Step.SIGNED, b, minted, total));
        Response<?> sent = send(web3j.ethSendRawTransaction(hex), "send " + hash);
        if (sent.hasError() && !alreadyKnown(sent.getError().getMessage())) {
            String why = sent.getError().getMessage();
            MintBatch d = mark(b, MintBatch.Status.DROPPED, 0, BigInteger.ZERO, "rejected: " + why);
            if (replacement && nonceTooLow(why)) {
                return d;
            }
            throw new MintException(
                    "the RPC node rejected "
                            + (replacement ? "the replacement of " : "")
                            + describe(b)
                            + ": "
                            + why);
        }
        listener.on(new MintEvent(MintEvent.Step.SENT, b, minted, total));
        b = mark(b, MintBatch.Status.SENT, 0, BigInteger.ZERO, detail);
        listener.on(new MintEvent(MintEvent.Step.JOURNALLED_SENT, b, minted, total));
        return b;
    }

    /**
     * Journals a nonce's final state from the receipt of {@code mined}: confirmed or reverted; the
     * nonce's other transactions (replaced or replacing) dropped.
     */
    private MintBatch finish(
            Pending p, MintBatch mined, TransactionReceipt r, long minted, long total) {
        listener.on(new MintEvent(MintEvent.Step.RECEIPT, mined, minted, total));
        BigInteger price =
                r.getEffectiveGasPrice() == null
                        ? BigInteger.ZERO
                        : Numeric.decodeQuantity(r.getEffectiveGasPrice());
        long gasUsed = r.getGasUsed().longValueExact();
        BigInteger cost = price.multiply(r.getGasUsed());
        MintBatch done =
                r.isStatusOK()
                        ? mark(mined, MintBatch.Status.CONFIRMED, gasUsed, cost, mined.detail())
                        : mark(
                                mined,
                                MintBatch.Status.REVERTED,
                                gasUsed,
                                cost,
                                "reverted on-chain (receipt status 0)");
        for (MintBatch other : p.attempts) {
            if (other != mined) {
                mark(
                        other,
                        MintBatch.Status.DROPPED,
                        0,
                        BigInteger.ZERO,
                        "replaced: " + mined.txHash() + " was mined with nonce " + p.nonce);
            }
        }
        listener.on(
                new MintEvent(
                        MintEvent.Step.CONFIRMED,
                        done,
                        minted + (r.isStatusOK() ? mined.quantity() : 0),
                        total));
        return done;
    }

    private MintBatch mark(
            MintBatch b, MintBatch.Status s, long gas, BigInteger cost, String detail) {
        journal.update(b.txHash(), s, gas, cost, detail);
        return b.withStatus(s, gas, cost, detail);
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MintException(
                    "interrupted while waiting for a receipt; run again to resume", e);
        }
    }

    private Optional<TransactionReceipt> receipt(String txHash) {
        return rpc(web3j.ethGetTransactionReceipt(txHash), "read the receipt of " + txHash)
                .getTransactionReceipt();
    }

    private static boolean nonceTooLow(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("nonce too low") || m.contains("nonce has already been used");
    }

    private static boolean alreadyKnown(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("already known")
                || m.contains("already imported")
                || m.contains("known transaction");
    }

    // ---- reading the chain ----

    private record Fees(
            BigInteger baseFee, BigInteger tip, BigInteger maxFee, long blockGasLimit) {}

    private Fees fees() {
        EthBlock.Block head =
                rpc(
                                web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
                                "read the latest block")
                        .getBlock();
        BigInteger base =
                head.getBaseFeePerGas() == null ? BigInteger.ZERO : head.getBaseFeePerGas();
        BigInteger t = tip;
        if (t == null) {
            var r = send(web3j.ethMaxPriorityFeePerGas(), "read the priority fee");
            t = r.hasError() ? DEFAULT_TIP : r.getMaxPriorityFeePerGas();
        }
        BigInteger max = base.shiftLeft(1).add(t);
        if (maxFeeCeiling != null) {
            if (maxFeeCeiling.compareTo(base.add(t)) < 0) {
                throw new MintException(
                        "the base fee is "
                                + base
                                + " wei/gas (+"
                                + t
                                + " tip), above the fee ceiling of "
                                + maxFeeCeiling
                                + " wei/gas; wait for lower fees or raise the ceiling");
            }
            max = max.min(maxFeeCeiling);
        }
        return new Fees(base, t, max, head.getGasLimit().longValueExact());
    }

    /**
     * Refuses a transaction the sender cannot pay for at its fee cap, on top of what the
     * transactions already in flight ({@code reserved}) may still cost.
     */
    private void checkFunds(long gasLimit, Fees fees, String what, BigInteger reserved) {
        BigInteger need = BigInteger.valueOf(gasLimit).multiply(fees.maxFee);
        BigInteger balance =
                rpc(
                                web3j.ethGetBalance(
                                        credentials.getAddress(), DefaultBlockParameterName.LATEST),
                                "read the sender's balance")
                        .getBalance()
                        .subtract(reserved);
        if (balance.compareTo(need) < 0) {
            throw new MintException(
                    "insufficient funds: "
                            + credentials.getAddress()
                            + " holds "
                            + balance
                            + " wei, "
                            + what
                            + " may cost up to "
                            + need
                            + " wei ("
                            + gasLimit
                            + " gas at "
                            + fees.maxFee
                            + " wei/gas)");
        }
    }

    /** The sender's nonce in the latest block: every lower nonce is mined. */
    private long latestNonce() {
        return rpc(
                        web3j.ethGetTransactionCount(
                                credentials.getAddress(), DefaultBlockParameterName.LATEST),
                        "read the sender's nonce")
                .getTransactionCount()
                .longValueExact();
    }

    private BigInteger pendingNonce() {
        return rpc(
                        web3j.ethGetTransactionCount(
                                credentials.getAddress(), DefaultBlockParameterName.PENDING),
                        "read the sender's nonce")
                .getTransactionCount();
    }

    private long nextTokenId(String contract) {
        EthCall r =
                rpc(
                        web3j.ethCall(
                                Transaction.createEthCallTransaction(
                                        credentials.getAddress(),
                                        contract,
                                        view().nextTokenId().encodeFunctionCall()),
                                DefaultBlockParameterName.LATEST),
                        "read nextTokenId() of " + contract);
        if (r.isReverted() || r.getValue() == null || r.getValue().equals("0x")) {
            throw new MintException(
                    "no SerigraphDrop contract at " + contract + " on chain " + chainId);
        }
        return Numeric.decodeQuantity(r.getValue().replaceFirst("^0x0*(?=.)", "0x"))
                .longValueExact();
    }

    private SerigraphDrop view() {
        return SerigraphDrop.load(
                DropConfig.NO_ADDRESS,
                web3j,
                new ReadonlyTransactionManager(web3j, credentials.getAddress()),
                new DefaultGasProvider());
    }

    private static String deployData(DropConfig cfg) {
        return SerigraphDrop.BINARY
                + FunctionEncoder.encodeConstructor(
                        List.of(
                                new Utf8String(cfg.name()),
                                new Utf8String(cfg.symbol()),
                                new Uint256(cfg.maxSupply()),
                                new Uint256(cfg.firstTokenId()),
                                new Utf8String(cfg.baseUri()),
                                new Address(cfg.royaltyReceiver()),
                                new Uint96(cfg.royaltyBps())));
    }

    private String mintData(long first, String to, int quantity) {
        return view().mintBatchAt(BigInteger.valueOf(first), to, BigInteger.valueOf(quantity))
                .encodeFunctionCall();
    }

    /**
     * Checks the drop's tokens against the contract: its next token id must lie within them, and
     * all of them within its maximum supply (so that no batch in flight can hit the cap).
     *
     * @return the end of the range (exclusive)
     */
    private long checkRange(String contract, long next, long firstTokenId, long count) {
        long end = firstTokenId + count;
        if (next < firstTokenId || next > end) {
            throw new MintException(
                    "the contract's next token id is "
                            + next
                            + ", outside the drop's tokens "
                            + firstTokenId
                            + ".."
                            + (end - 1));
        }
        SerigraphDrop drop = at(contract);
        long first = next - read(contract, "totalMinted()", drop.totalMinted()).longValueExact();
        long max = read(contract, "maxSupply()", drop.maxSupply()).longValueExact();
        if (firstTokenId < first || end > first + max) {
            throw new MintException(
                    "the contract "
                            + contract
                            + " takes tokens "
                            + first
                            + ".."
                            + (first + max - 1)
                            + " (maxSupply "
                            + max
                            + "), not the drop's "
                            + firstTokenId
                            + ".."
                            + (end - 1));
        }
        return end;
    }

    /**
     * The batch size: at most maxBatch, shrunk while a batch's gas exceeds half the block gas
     * limit.
     */
    private int batchSize(String contract, String to, long next, long remaining, Fees fees) {
        int q = (int) Math.min(maxBatch, remaining);
        long half = fees.blockGasLimit / 2;
        while (true) {
            long gas =
                    estimate(
                            contract,
                            mintData(next, to, q),
                            "mint tokens " + next + ".." + (next + q - 1));
            if (gas <= half || q == 1) {
                return q;
            }
            q = (int) Math.max(1, Math.min(q - 1, (long) q * half / gas));
        }
    }

    private long estimate(String to, String data, String what) {
        var r =
                send(
                        web3j.ethEstimateGas(
                                Transaction.createFunctionCallTransaction(
                                        credentials.getAddress(),
                                        null,
                                        null,
                                        null,
                                        to,
                                        BigInteger.ZERO,
                                        data)),
                        "estimate the gas to " + what);
        if (r.hasError()) {
            throw new MintException(
                    "the chain refuses to "
                            + what
                            + ": "
                            + r.getError().getMessage().replaceAll("[^\\p{Print}]", "").strip()
                            + describeRevert(r.getError().getData()));
        }
        return r.getAmountUsed().longValueExact();
    }

    private static volatile Map<String, String> errorsBySelector;

    /** Names a custom error of the contract from its revert data, e.g. " (MaxSupplyExceeded)". */
    static String describeRevert(String data) {
        if (data == null) {
            return "";
        }
        String hex = data.replace("\"", "");
        if (!hex.startsWith("0x") || hex.length() < 10) {
            return "";
        }
        String name = errors().get(hex.substring(0, 10).toLowerCase(java.util.Locale.ROOT));
        return name == null ? "" : " (" + name + ")";
    }

    private static Map<String, String> errors() {
        if (errorsBySelector == null) {
            Map<String, String> m = new HashMap<>();
            try (InputStream in = BatchMinter.class.getResourceAsStream(ABI_RESOURCE)) {
                JsonNode abi =
                        new ObjectMapper().readTree(Objects.requireNonNull(in, ABI_RESOURCE));
                for (JsonNode e : abi) {
                    if ("error".equals(e.path("type").asText())) {
                        List<String> types = new ArrayList<>();
                        e.path("inputs").forEach(i -> types.add(i.path("type").asText()));
                        String sig = e.path("name").asText() + "(" + String.join(",", types) + ")";
                        m.put(Hash.sha3String(sig).substring(0, 10), sig);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + ABI_RESOURCE, e);
            }
            errorsBySelector = m;
        }
        return errorsBySelector;
    }

    private <T extends Response<?>> T rpc(Request<?, T> request, String what) {
        T r = send(request, what);
        if (r.hasError()) {
            throw new MintException(
                    "the RPC node at "
                            + rpcName
                            + " failed to "
                            + what
                            + ": "
                            + r.getError().getMessage());
        }
        return r;
    }

    private <T extends Response<?>> T send(Request<?, T> request, String what) {
        try {
            return request.send();
        } catch (IOException | RuntimeException e) {
            throw new MintException(
                    "cannot reach the RPC node at "
                            + rpcName
                            + " to "
                            + what
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Builds a {@link BatchMinter}: required {@code set*}, optional {@code opt*}. */
    public static final class Builder {
        private Web3j web3j;
        private Credentials credentials;
        private MintJournal journal;
        private int maxBatch = 100;
        private int confirmations = 1;
        private int window = 4;
        private Duration stallTimeout = Duration.ofMinutes(3);
        private BigInteger maxFeePerGas;
        private BigInteger tip;
        private long expectedChainId = -1;
        private boolean allowMainnet;
        private MintListener listener = e -> {};
        private Duration receiptTimeout = Duration.ofMinutes(10);
        private Duration pollInterval = Duration.ofSeconds(1);
        private String rpcName = "the RPC URL";

        private Builder() {}

        /** The node to talk to; {@code rpcName} (its URL) appears in error messages. */
        public Builder setWeb3j(Web3j web3j, String rpcName) {
            this.web3j = web3j;
            this.rpcName = rpcName;
            return this;
        }

        /** The key that signs and pays; it is never printed. */
        public Builder setCredentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder setJournal(MintJournal journal) {
            this.journal = journal;
            return this;
        }

        /** The most tokens per transaction (default 100). */
        public Builder optMaxBatch(int maxBatch) {
            if (maxBatch < 1) {
                throw new IllegalArgumentException(
                        "the batch size must be at least 1, not " + maxBatch);
            }
            this.maxBatch = maxBatch;
            return this;
        }

        /** Blocks a receipt must be buried under, its own included (default 1). */
        public Builder optConfirmations(int confirmations) {
            if (confirmations < 1) {
                throw new IllegalArgumentException(
                        "confirmations must be at least 1, not " + confirmations);
            }
            this.confirmations = confirmations;
            return this;
        }

        /**
         * The most batch transactions in flight at once: sent with consecutive nonces before the
         * earlier ones are confirmed (default 4; 1 sends one at a time).
         */
        public Builder optWindow(int window) {
            if (window < 1) {
                throw new IllegalArgumentException(
                        "the in-flight window must be at least 1, not " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * How long a sent transaction may go unmined before it is replaced: same nonce, fees raised
         * by 12.5 %, within the fee ceiling (default 3 minutes).
         */
        public Builder optStallTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("the stall timeout must not be negative");
            }
            this.stallTimeout = timeout;
            return this;
        }

        /** The fee ceiling in wei per gas (default none). */
        public Builder optMaxFeePerGas(BigInteger maxFeePerGas) {
            this.maxFeePerGas = maxFeePerGas;
            return this;
        }

        /** The priority fee in wei per gas (default: what the node suggests). */
        public Builder optPriorityFee(BigInteger tip) {
            this.tip = tip;
            return this;
        }

        /** The chain id the node must serve (default: any but mainnet). */
        public Builder optExpectedChainId(long chainId) {
            this.expectedChainId = chainId;
            return this;
        }

        /** Allows chain id 1 (default false). */
        public Builder optAllowMainnet(boolean allow) {
            this.allowMainnet = allow;
            return this;
        }

        public Builder optListener(MintListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** How long to wait for a receipt and its confirmations (default 10 minutes). */
        public Builder optReceiptTimeout(Duration timeout) {
            this.receiptTimeout = timeout;
            return this;
        }

        /** How often to poll for receipts (default 1 s). */
        public Builder optPollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        public BatchMinter build() {
            return new BatchMinter(this);
        }
    }
}
