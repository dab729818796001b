package io.serigraph.chain.mint;

import static io.serigraph.chain.mint.MintTestSupport.RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stops the minter at many points (after signing, after sending but before journalling it, after
 * journalling, in a block, after the receipt, after confirming; during deployment too; with several
 * batches in flight) and resumes with a fresh minter over the same journal: in the end every token
 * is minted exactly once.
 */
class MintCrashTest {
    private static Anvil anvil;

    /** Thrown by a listener to stop the minter as a crash would (the other mint tests use it). */
    static final class Crash extends RuntimeException {
        Crash(MintEvent e) {
            super(
                    "crash at "
                            + e.step()
                            + " of "
                            + e.batch().txHash()
                            + (e.batch().detail().isEmpty()
                                    ? ""
                                    : " (" + e.batch().detail() + ")"));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        anvil = Anvil.start();
    }

    @AfterAll
    static void stop() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void resumesAfterCrashesAtEveryStepWithoutDoubleMintOrGap() throws Exception {
        long total = 600;
        MemoryMintJournal journal = new MemoryMintJournal();
        Set<MintEvent.Step> crashedAt = EnumSet.noneOf(MintEvent.Step.class);
        List<String> crashes = new ArrayList<>();
        String address = null;
        MintReport report = null;
        long[] openAtCrash = {0};
        // Runs 1..33 crash at a random event of the run (the 1st to the 14th; a fixed seed): every
        // step of the deployment and of the batches is hit, with up to four batches in flight
        // (sent, not yet confirmed) when it stops; run 34 finishes.
        java.util.Random random = new java.util.Random(7);
        for (int attempt = 1; report == null; attempt++) {
            assertThat(attempt).as("attempts").isLessThan(60);
            int crashAt = attempt <= 33 ? 1 + random.nextInt(14) : Integer.MAX_VALUE;
            int[] seen = {0};
            BatchMinter minter =
                    MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                            .optMaxBatch(10)
                            .optWindow(4)
                            .optListener(
                                    e -> {
                                        if (++seen[0] == crashAt) {
                                            crashedAt.add(e.step());
                                            openAtCrash[0] =
                                                    Math.max(
                                                            openAtCrash[0],
                                                            journal.batches().stream()
                                                                    .filter(
                                                                            x ->
                                                                                    !x.status()
                                                                                            .terminal())
                                                                    .count());
                                            throw new Crash(e);
                                        }
                                    })
                            .build();
            try {
                address = minter.deploy(MintTestSupport.drop(total));
                report = minter.mint(address, RECIPIENT, 1, total);
            } catch (Crash c) {
                crashes.add(c.getMessage());
            }
        }
        assertThat(crashes).hasSize(33);
        assertThat(openAtCrash[0])
                .as("transactions in flight at a crash")
                .isGreaterThanOrEqualTo(3);
        assertThat(crashedAt).containsExactlyInAnyOrder(MintEvent.Step.values());

        var drop = MintTestSupport.contract(anvil, address);
        assertThat(drop.totalSupply().send()).isEqualTo(BigInteger.valueOf(total));
        assertThat(drop.nextTokenId().send()).isEqualTo(BigInteger.valueOf(total + 1));
        List<BigInteger> ids = MintTestSupport.transferredIds(anvil, address);
        assertThat(ids)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).mapToObj(BigInteger::valueOf).toList());
        // The journal: nothing left open, confirmed batches tile 1..total exactly.
        assertThat(journal.batches()).allMatch(b -> b.status().terminal());
        long next = 1;
        for (MintBatch b : report.batches()) {
            assertThat(b.firstTokenId()).isEqualTo(next);
            next += b.quantity();
        }
        assertThat(next).isEqualTo(total + 1);
        assertThat(report.tokens()).isEqualTo(total);
    }

    @Test
    void aStaleBatchResentAfterAnotherMinterMintedRevertsInsteadOfMintingTwice() throws Exception {
        MemoryMintJournal journalA = new MemoryMintJournal();
        BatchMinter owner =
                MintTestSupport.minter(anvil, Anvil.KEY0, journalA).optMaxBatch(10).build();
        String address = owner.deploy(MintTestSupport.drop(50));
        var drop = MintTestSupport.contract(anvil, address);
        String other = org.web3j.crypto.Credentials.create(Anvil.KEY1).getAddress();
        drop.setMinter(other, true).send();

        // A signs and journals its first batch (tokens 1..10), then dies before sending it.
        BatchMinter crashing =
                MintTestSupport.minter(anvil, Anvil.KEY0, journalA)
                        .optMaxBatch(10)
                        .optListener(
                                e -> {
                                    if (e.step() == MintEvent.Step.SIGNED) {
                                        throw new Crash(e);
                                    }
                                })
                        .build();
        assertThatThrownBy(() -> crashing.mint(address, RECIPIENT, 1, 50))
                .isInstanceOf(Crash.class);

        // Meanwhile another minter mints tokens 1..10.
        BatchMinter b =
                MintTestSupport.minter(anvil, Anvil.KEY1, new MemoryMintJournal())
                        .optMaxBatch(10)
                        .build();
        assertThat(b.mint(address, RECIPIENT, 1, 10).tokens()).isEqualTo(10);

        // A resumes: its journalled transaction is sent as signed, reverts on-chain (the next id is
        // no
        // longer 1), and A mints on from token 11.
        MintReport report =
                MintTestSupport.minter(anvil, Anvil.KEY0, journalA)
                        .optMaxBatch(10)
                        .build()
                        .mint(address, RECIPIENT, 1, 50);
        assertThat(journalA.batches())
                .filteredOn(x -> x.status() == MintBatch.Status.REVERTED)
                .singleElement()
                .satisfies(x -> assertThat(x.firstTokenId()).isEqualTo(1));
        assertThat(report.tokens()).isEqualTo(40);
        assertThat(drop.totalSupply().send()).isEqualTo(BigInteger.valueOf(50));
        assertThat(MintTestSupport.transferredIds(anvil, address))
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 50).mapToObj(BigInteger::valueOf).toList());
    }
}
