package io.serigraph.chain.mint;

import static io.serigraph.chain.mint.MintTestSupport.RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.chain.contract.SerigraphDrop;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The contract's own rules, through the generated wrapper, on anvil. */
class SerigraphDropContractTest {
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

    private static SerigraphDrop deploy(long maxSupply) {
        String address =
                MintTestSupport.minter(anvil, Anvil.KEY0, new MemoryMintJournal())
                        .build()
                        .deploy(MintTestSupport.drop(maxSupply));
        return MintTestSupport.contract(anvil, address);
    }

    @Test
    void provenanceHashIsSetOnce() throws Exception {
        SerigraphDrop drop = deploy(10);
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) 7);
        drop.setProvenanceHash(hash).send();
        assertThat(drop.provenanceHash().send()).isEqualTo(hash);
        byte[] other = new byte[32];
        Arrays.fill(other, (byte) 9);
        assertThatThrownBy(() -> drop.setProvenanceHash(other).send())
                .isInstanceOf(Exception.class);
        assertThat(drop.provenanceHash().send()).isEqualTo(hash);
    }

    @Test
    void manyRecipientsMintInOrderAndOnlyMintersMint() throws Exception {
        SerigraphDrop drop = deploy(10);
        String b = Credentials.create(Anvil.KEY1).getAddress();
        drop.mintManyAt(
                        BigInteger.ONE,
                        List.of(RECIPIENT, b),
                        List.of(BigInteger.valueOf(3), BigInteger.TWO))
                .send();
        assertThat(drop.ownerOf(BigInteger.valueOf(3)).send()).isEqualToIgnoringCase(RECIPIENT);
        assertThat(drop.ownerOf(BigInteger.valueOf(4)).send()).isEqualToIgnoringCase(b);
        assertThat(drop.nextTokenId().send()).isEqualTo(BigInteger.valueOf(6));
        // A stale first id, and a caller without the minter role, are refused.
        assertThatThrownBy(() -> drop.mintBatchAt(BigInteger.ONE, RECIPIENT, BigInteger.ONE).send())
                .isInstanceOf(Exception.class);
        SerigraphDrop asOther =
                SerigraphDrop.load(
                        drop.getContractAddress(),
                        anvil.web3j,
                        Credentials.create(Anvil.KEY1),
                        new org.web3j.tx.gas.DefaultGasProvider());
        assertThatThrownBy(() -> asOther.mintBatch(b, BigInteger.ONE).send())
                .isInstanceOf(Exception.class);
        assertThat(drop.totalSupply().send()).isEqualTo(BigInteger.valueOf(5));
    }

    @Test
    void baseUriChangeAndRevealEmitErc4906AndShiftTokenUris() throws Exception {
        long max = 10;
        SerigraphDrop drop = deploy(max);
        drop.mintBatch(RECIPIENT, BigInteger.valueOf(max)).send();
        TransactionReceipt r = drop.setBaseURI("ipfs://revealed/").send();
        var updates = SerigraphDrop.getBatchMetadataUpdateEvents(r);
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0)._fromTokenId).isEqualTo(BigInteger.ONE);
        assertThat(updates.get(0)._toTokenId)
                .isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
        assertThat(drop.tokenURI(BigInteger.valueOf(4)).send()).isEqualTo("ipfs://revealed/4");

        assertThatThrownBy(() -> drop.revealStartingIndex().send()).isInstanceOf(Exception.class);
        drop.commitStartingIndex().send();
        // The committed block is the next one: one more block must pass before the reveal.
        drop.setMinter(RECIPIENT, false).send();
        TransactionReceipt reveal = drop.revealStartingIndex().send();
        assertThat(SerigraphDrop.getBatchMetadataUpdateEvents(reveal)).hasSize(1);
        assertThat(drop.startingIndexRevealed().send()).isTrue();
        long shift = drop.startingIndex().send().longValueExact();
        assertThat(shift).isBetween(0L, max - 1);
        for (long id = 1; id <= max; id++) {
            long n = 1 + ((id - 1 + shift) % max);
            assertThat(drop.tokenURI(BigInteger.valueOf(id)).send())
                    .isEqualTo("ipfs://revealed/" + n);
        }
    }
}
