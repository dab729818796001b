package io.serigraph.chain.mint;

import static io.serigraph.chain.mint.MintTestSupport.RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.chain.contract.SerigraphDrop;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;

/**
 * The owner's journalled calls on a real anvil that makes a block every second (a reveal needs the
 * chain to move past the committed block): provenance hash once, base URI changes, commit-reveal
 * starting index, each resumable and sent only when the contract does not already hold it.
 */
class MintOwnerCallsTest {
    private static final String HASH =
            "a8f5f167f44f4964e6c998dee827110c8bd1b6cbd3b1d21b5a7e43bbd4b2d5a7";

    private static Anvil anvil;

    @BeforeAll
    static void start() throws Exception {
        anvil = Anvil.start("--block-time", "1");
    }

    @AfterAll
    static void stop() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void provenanceOnceBaseUriOnChangeAndARevealThatResumes() throws Exception {
        MemoryMintJournal journal = new MemoryMintJournal();
        BatchMinter minter = MintTestSupport.minter(anvil, Anvil.KEY0, journal).build();
        String address = minter.deploy(MintTestSupport.drop(10));
        assertThat(minter.mint(address, RECIPIENT, 1, 10).tokens()).isEqualTo(10);
        SerigraphDrop drop = MintTestSupport.contract(anvil, address);

        assertThatThrownBy(() -> minter.setProvenanceHash(address, "0x1234"))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("must be 64 hex digits");
        assertThat(minter.setProvenanceHash(address, HASH)).isTrue();
        assertThat(minter.setProvenanceHash(address, "0x" + HASH)).isFalse();
        assertThat(new BigInteger(1, drop.provenanceHash().send()).toString(16)).isEqualTo(HASH);
        assertThatThrownBy(() -> minter.setProvenanceHash(address, HASH.replace('a', 'b')))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("already holds the provenance hash 0x" + HASH)
                .hasMessageContaining("settable once");

        String moved = "ipfs://bafybeihkoviema7g3gxyt6la7vd5ho32ictqbilu3wnlo3rs7ewhnp7lly/";
        assertThat(minter.setBaseUri(address, MintTestSupport.BASE_URI)).isFalse();
        assertThat(minter.setBaseUri(address, moved)).isTrue();
        assertThat(drop.tokenURI(BigInteger.ONE).send()).isEqualTo(moved + "1");
        int calls = journal.batches().size();

        // The reveal dies right after its commitment is journalled as sent, then resumes.
        BatchMinter crashing =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optListener(
                                e -> {
                                    if (e.step() == MintEvent.Step.JOURNALLED_SENT) {
                                        throw new MintCrashTest.Crash(e);
                                    }
                                })
                        .build();
        assertThatThrownBy(() -> crashing.revealStartingIndex(address))
                .isInstanceOf(MintCrashTest.Crash.class)
                .hasMessageContaining("commitStartingIndex()");
        long index = minter.revealStartingIndex(address);
        assertThat(index).isBetween(0L, 9L);
        assertThat(drop.startingIndexRevealed().send()).isTrue();
        assertThat(journal.batches().subList(calls, journal.batches().size()))
                .extracting(MintBatch::detail)
                .containsExactly("commitStartingIndex()", "revealStartingIndex()");
        assertThat(journal.batches()).allMatch(b -> b.status() == MintBatch.Status.CONFIRMED);
        // Token 1 now shows the metadata at position (0 + index) % 10.
        assertThat(drop.tokenURI(BigInteger.ONE).send()).isEqualTo(moved + (1 + index));
        assertThat(minter.revealStartingIndex(address)).isEqualTo(index);
        assertThat(journal.batches()).hasSize(calls + 2);

        // ERC-4906: one BatchMetadataUpdate for the base URI, one for the reveal.
        EthFilter f =
                new EthFilter(
                        DefaultBlockParameterName.EARLIEST,
                        DefaultBlockParameterName.LATEST,
                        address);
        f.addSingleTopic(EventEncoder.encode(SerigraphDrop.BATCHMETADATAUPDATE_EVENT));
        assertThat(anvil.web3j.ethGetLogs(f).send().getLogs()).hasSize(2);
    }
}
