package io.serigraph.chain.mint;

import static io.serigraph.chain.mint.MintTestSupport.RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Several transactions in flight on a real anvil whose mining the test controls: stalled
 * transactions replaced (same nonce, higher fee) and mined once, the fee ceiling refusing a
 * replacement, resume finding whichever of a nonce's transactions was mined, and batches a reorg
 * takes away sent again without a double mint.
 */
class MintInFlightTest {
    private Anvil anvil;

    @BeforeEach
    void start() throws Exception {
        anvil = Anvil.start();
    }

    @AfterEach
    void stop() {
        if (anvil != null) {
            anvil.close();
        }
    }

    private String deploy(long supply) {
        return MintTestSupport.minter(anvil, Anvil.KEY0, new MemoryMintJournal())
                .build()
                .deploy(MintTestSupport.drop(supply));
    }

    /** The drop's tokens are exactly 1..total, each transferred once, in order. */
    private void assertMintedOnce(String address, long total) throws Exception {
        assertThat(MintTestSupport.contract(anvil, address).totalSupply().send())
                .isEqualTo(BigInteger.valueOf(total));
        assertThat(MintTestSupport.transferredIds(anvil, address))
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).mapToObj(BigInteger::valueOf).toList());
    }

    /** Every nonce of the journal has exactly one confirmed transaction; the rest dropped. */
    private static void assertOneConfirmedPerNonce(MintJournal journal) {
        Map<Long, List<MintBatch>> byNonce =
                journal.batches().stream().collect(Collectors.groupingBy(MintBatch::nonce));
        byNonce.forEach(
                (nonce, txs) -> {
                    assertThat(txs)
                            .as("nonce " + nonce)
                            .filteredOn(b -> b.status() == MintBatch.Status.CONFIRMED)
                            .hasSize(1);
                    assertThat(txs)
                            .as("nonce " + nonce)
                            .filteredOn(b -> b.status() != MintBatch.Status.CONFIRMED)
                            .allMatch(b -> b.status() == MintBatch.Status.DROPPED);
                });
    }

    private boolean isReplacement(MintJournal journal, MintBatch b) {
        return journal.batches().stream()
                .anyMatch(x -> x.nonce() == b.nonce() && !x.txHash().equals(b.txHash()));
    }

    @Test
    void theLastShorterBatchIsEstimatedBeforeAnythingIsInFlight() throws Exception {
        // A chain that mines a block a second: batches wait in the pool, where a node that
        // estimates against its pending state sees their ids already taken. The last batch (5 of
        // 25 tokens) must not be estimated then, or it "reverts" with UnexpectedFirstTokenId.
        anvil.close();
        anvil = Anvil.start("--block-time", "1");
        String address = deploy(25);
        MemoryMintJournal journal = new MemoryMintJournal();
        MintReport r =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(10)
                        .optWindow(3)
                        .build()
                        .mint(address, RECIPIENT, 1, 25);

        assertThat(r.tokens()).isEqualTo(25);
        assertMintedOnce(address, 25);
        assertOneConfirmedPerNonce(journal);
    }

    @Test
    void stalledTransactionsAreReplacedWithAHigherFeeAndMinedOnce() throws Exception {
        String address = deploy(30);
        anvil.call("evm_setAutomine", false);
        MemoryMintJournal journal = new MemoryMintJournal();
        int[] replacements = {0};
        // Nothing is mined until a replacement has been sent: then one block takes whatever the
        // pool holds (the replacement, and later batches' originals).
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(10)
                        .optWindow(2)
                        .optStallTimeout(Duration.ZERO)
                        .optListener(
                                e -> {
                                    if (e.step() == MintEvent.Step.JOURNALLED_SENT
                                            && isReplacement(journal, e.batch())) {
                                        replacements[0]++;
                                        mine(1);
                                    }
                                })
                        .build();
        MintReport r = minter.mint(address, RECIPIENT, 1, 30);

        assertThat(r.tokens()).isEqualTo(30);
        assertThat(replacements[0]).isGreaterThanOrEqualTo(1);
        assertMintedOnce(address, 30);
        assertOneConfirmedPerNonce(journal);
        // Each replacement pays at least 12.5 % more than the transaction it replaced.
        Map<Long, List<MintBatch>> byNonce =
                journal.batches().stream().collect(Collectors.groupingBy(MintBatch::nonce));
        for (List<MintBatch> txs : byNonce.values()) {
            for (int i = 1; i < txs.size(); i++) {
                var before = fees(txs.get(i - 1));
                var after = fees(txs.get(i));
                assertThat(after[0].multiply(BigInteger.valueOf(8)))
                        .isGreaterThanOrEqualTo(before[0].multiply(BigInteger.valueOf(9)));
                assertThat(after[1].multiply(BigInteger.valueOf(8)))
                        .isGreaterThanOrEqualTo(before[1].multiply(BigInteger.valueOf(9)));
            }
            // The transactions that were replaced have no receipt.
            for (MintBatch b : txs) {
                boolean mined =
                        anvil.web3j
                                .ethGetTransactionReceipt(b.txHash())
                                .send()
                                .getTransactionReceipt()
                                .isPresent();
                assertThat(mined).isEqualTo(b.status() == MintBatch.Status.CONFIRMED);
            }
        }
    }

    @Test
    void aReplacementAboveTheFeeCeilingIsRefusedAndTheMintResumesLater() throws Exception {
        String address = deploy(10);
        anvil.call("evm_setAutomine", false);
        BigInteger base =
                anvil.web3j
                        .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                        .send()
                        .getBlock()
                        .getBaseFeePerGas();
        BigInteger tip = BigInteger.valueOf(1_000_000_000L);
        // The first transaction fits under the ceiling; a 12.5 % higher one would not.
        BigInteger ceiling = base.shiftLeft(1).add(tip).add(BigInteger.ONE);
        MemoryMintJournal journal = new MemoryMintJournal();
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(10)
                        .optPriorityFee(tip)
                        .optMaxFeePerGas(ceiling)
                        .optStallTimeout(Duration.ZERO)
                        .build();
        assertThatThrownBy(() -> minter.mint(address, RECIPIENT, 1, 10))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("is stalled at a fee cap of")
                .hasMessageContaining("above the fee ceiling of " + ceiling + " wei/gas")
                .hasMessageContaining("raise the ceiling");
        // Nothing was replaced; the stalled transaction stays journalled as sent.
        assertThat(journal.batches())
                .singleElement()
                .satisfies(b -> assertThat(b.status()).isEqualTo(MintBatch.Status.SENT));

        anvil.mine(1);
        anvil.call("evm_setAutomine", true);
        MintReport r =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .build()
                        .mint(address, RECIPIENT, 1, 10);
        assertThat(r.tokens()).isEqualTo(10);
        assertThat(journal.batches())
                .singleElement()
                .satisfies(b -> assertThat(b.status()).isEqualTo(MintBatch.Status.CONFIRMED));
        assertMintedOnce(address, 10);
    }

    @Test
    void resumeFindsWhicheverOfANoncesTransactionsWasMined() throws Exception {
        String address = deploy(20);
        anvil.call("evm_setAutomine", false);
        MemoryMintJournal journal = new MemoryMintJournal();
        // The first batch stalls, is replaced, and the minter dies right after journalling the
        // replacement as sent.
        BatchMinter crashing =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(10)
                        .optWindow(1)
                        .optStallTimeout(Duration.ZERO)
                        .optListener(
                                e -> {
                                    if (e.step() == MintEvent.Step.JOURNALLED_SENT
                                            && isReplacement(journal, e.batch())) {
                                        throw new MintCrashTest.Crash(e);
                                    }
                                })
                        .build();
        assertThatThrownBy(() -> crashing.mint(address, RECIPIENT, 1, 20))
                .isInstanceOf(MintCrashTest.Crash.class);
        List<MintBatch> sent = journal.batches();
        assertThat(sent).hasSize(2);
        MintBatch original = sent.get(0);
        MintBatch replacement = sent.get(1);
        assertThat(replacement.nonce()).isEqualTo(original.nonce());

        // Yet the original is what gets mined: the replacement leaves the pool and the original
        // comes back (as a node that never saw the replacement would have it).
        anvil.call("anvil_dropTransaction", replacement.txHash());
        anvil.web3j.ethSendRawTransaction(original.signedTx()).send();
        anvil.mine(1);
        anvil.call("evm_setAutomine", true);

        MintReport r =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(10)
                        .build()
                        .mint(address, RECIPIENT, 1, 20);
        assertThat(r.tokens()).isEqualTo(20);
        assertThat(journal.batches())
                .filteredOn(b -> b.txHash().equals(original.txHash()))
                .singleElement()
                .satisfies(b -> assertThat(b.status()).isEqualTo(MintBatch.Status.CONFIRMED));
        assertThat(journal.batches())
                .filteredOn(b -> b.txHash().equals(replacement.txHash()))
                .singleElement()
                .satisfies(b -> assertThat(b.status()).isEqualTo(MintBatch.Status.DROPPED));
        assertOneConfirmedPerNonce(journal);
        assertMintedOnce(address, 20);
    }

    @Test
    void batchesAReorgTakesAwayAreSentAgainWithoutADoubleMint() throws Exception {
        String address = deploy(40);
        MemoryMintJournal journal = new MemoryMintJournal();
        List<String> included = new ArrayList<>();
        Set<Long> reorgedAt = new HashSet<>();
        // Three batches in flight, three confirmations each. Every time a batch shows up in a
        // block the test mines two more on top; the first time the batch of tokens 11..20 shows
        // up, a reorg replaces its block and everything after it with empty blocks instead.
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(10)
                        .optWindow(3)
                        .optConfirmations(3)
                        .optListener(
                                e -> {
                                    if (e.step() != MintEvent.Step.INCLUDED) {
                                        return;
                                    }
                                    included.add(e.batch().txHash());
                                    if (e.batch().firstTokenId() == 11 && reorgedAt.isEmpty()) {
                                        long head = head();
                                        long block = blockOf(e.batch().txHash());
                                        reorgedAt.add(block);
                                        call("anvil_reorg", head - block + 1, List.of());
                                    } else {
                                        mine(2);
                                    }
                                })
                        .build();
        MintReport r = minter.mint(address, RECIPIENT, 1, 40);

        assertThat(reorgedAt).hasSize(1);
        MintBatch second =
                journal.batches().stream()
                        .filter(b -> b.firstTokenId() == 11)
                        .findFirst()
                        .orElseThrow();
        // Seen in a block, taken away, sent again as signed, seen in another block.
        assertThat(included).filteredOn(h -> h.equals(second.txHash())).hasSize(2);
        assertThat(blockOf(second.txHash())).isNotIn(reorgedAt);
        assertThat(r.tokens()).isEqualTo(40);
        assertThat(journal.batches())
                .hasSize(4)
                .allMatch(b -> b.status() == MintBatch.Status.CONFIRMED);
        assertMintedOnce(address, 40);
    }

    @Test
    void aBatchRevertingOnChainSettlesTheBatchesInFlightBehindItBeforeStopping() throws Exception {
        String address = deploy(30);
        var drop = MintTestSupport.contract(anvil, address);
        String other = org.web3j.crypto.Credentials.create(Anvil.KEY1).getAddress();
        drop.setMinter(other, true).send();
        BatchMinter b = MintTestSupport.minter(anvil, Anvil.KEY1, new MemoryMintJournal()).build();
        MemoryMintJournal journal = new MemoryMintJournal();
        boolean[] once = {false};
        // Right after the first batch is signed (its gas estimated), another minter takes token 1:
        // the batch reverts on-chain, and so do the two sent behind it.
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(10)
                        .optWindow(3)
                        .optListener(
                                e -> {
                                    if (e.step() == MintEvent.Step.SIGNED && !once[0]) {
                                        once[0] = true;
                                        b.mint(address, RECIPIENT, 1, 1);
                                    }
                                })
                        .build();
        assertThatThrownBy(() -> minter.mint(address, RECIPIENT, 1, 30))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("the batch of tokens 1..10")
                .hasMessageContaining("reverted");
        assertThat(journal.batches())
                .hasSize(3)
                .allMatch(x -> x.status() == MintBatch.Status.REVERTED);

        // Run again: it goes on from the contract's next id; every token minted once.
        MintReport r =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(10)
                        .build()
                        .mint(address, RECIPIENT, 1, 30);
        assertThat(r.tokens()).isEqualTo(29);
        assertMintedOnce(address, 30);
    }

    private long head() {
        try {
            return anvil.web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long blockOf(String txHash) {
        try {
            return anvil.web3j
                    .ethGetTransactionReceipt(txHash)
                    .send()
                    .getTransactionReceipt()
                    .orElseThrow()
                    .getBlockNumber()
                    .longValueExact();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void mine(int n) {
        try {
            anvil.mine(n);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void call(String method, Object... params) {
        try {
            anvil.call(method, params);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The fee cap and priority fee a journalled transaction was signed with. */
    private static BigInteger[] fees(MintBatch b) {
        var t =
                (org.web3j.crypto.transaction.type.Transaction1559)
                        org.web3j.crypto.TransactionDecoder.decode(b.signedTx()).getTransaction();
        return new BigInteger[] {t.getMaxFeePerGas(), t.getMaxPriorityFeePerGas()};
    }
}
