package io.serigraph.chain.mint;

import static io.serigraph.chain.mint.MintTestSupport.BASE_URI;
import static io.serigraph.chain.mint.MintTestSupport.RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.chain.contract.SerigraphDrop;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchMinterTest {
    private static Anvil anvil;

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
    void mintsA2000TokenDropCompletely() throws Exception {
        MemoryMintJournal journal = new MemoryMintJournal();
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal).optMaxBatch(100).build();
        String address = minter.deploy(MintTestSupport.drop(2000));

        MintPlan plan = minter.plan(address, RECIPIENT, 1, 2000);
        assertThat(plan.batches()).hasSize(20);
        assertThat(plan.tokens()).isEqualTo(2000);

        MintReport report = minter.mint(address, RECIPIENT, 1, 2000);
        assertThat(report.tokens()).isEqualTo(2000);
        assertThat(report.batches()).hasSize(20);

        SerigraphDrop drop = MintTestSupport.contract(anvil, address);
        assertThat(drop.totalSupply().send()).isEqualTo(BigInteger.valueOf(2000));
        assertThat(drop.tokenURI(BigInteger.ONE).send()).isEqualTo(BASE_URI + "1");
        assertThat(drop.tokenURI(BigInteger.valueOf(2000)).send()).isEqualTo(BASE_URI + "2000");
        assertThat(drop.ownerOf(BigInteger.valueOf(1234)).send()).isEqualToIgnoringCase(RECIPIENT);
        List<BigInteger> ids = MintTestSupport.transferredIds(anvil, address);
        assertThat(ids).hasSize(2000).doesNotHaveDuplicates();
        assertThat(ids.get(0)).isEqualTo(BigInteger.ONE);
        assertThat(ids.get(1999)).isEqualTo(BigInteger.valueOf(2000));
        // ERC-2981: 5% to the receiver.
        var royalty = drop.royaltyInfo(BigInteger.ONE, BigInteger.valueOf(10_000)).send();
        assertThat(royalty.component2()).isEqualTo(BigInteger.valueOf(500));
        assertThat(drop.supportsInterface(new byte[] {0x49, 0x06, 0x49, 0x06}).send()).isTrue();

        System.out.printf(
                "mint: 2000 tokens in %d batches of %d, %d gas, %.1f gas/token%n",
                report.batches().size(), 100, report.gasUsed(), report.gasPerToken());
        // Resuming a finished mint sends nothing more.
        int before = journal.batches().size();
        assertThat(minter.mint(address, RECIPIENT, 1, 2000).tokens()).isEqualTo(2000);
        assertThat(journal.batches()).hasSize(before);
    }
}
