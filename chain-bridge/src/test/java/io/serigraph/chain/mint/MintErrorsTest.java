package io.serigraph.chain.mint;

import static io.serigraph.chain.mint.MintTestSupport.RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** Bad input gets a clear MintException and leaves the journal consistent. */
class MintErrorsTest {
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
    void unreachableRpcUrl() {
        MemoryMintJournal journal = new MemoryMintJournal();
        Web3j dead = Web3j.build(new HttpService("http://127.0.0.1:1"));
        BatchMinter minter =
                BatchMinter.builder()
                        .setWeb3j(dead, "http://127.0.0.1:1")
                        .setCredentials(Credentials.create(Anvil.KEY0))
                        .setJournal(journal)
                        .build();
        assertThatThrownBy(() -> minter.deploy(MintTestSupport.drop(10)))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("cannot reach the RPC node at http://127.0.0.1:1");
        assertThat(journal.batches()).isEmpty();
        dead.shutdown();
    }

    @Test
    void wrongChainId() {
        MemoryMintJournal journal = new MemoryMintJournal();
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal).optExpectedChainId(5).build();
        assertThatThrownBy(() -> minter.deploy(MintTestSupport.drop(10)))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("serves chain id 31337, not the expected 5");
        assertThat(journal.batches()).isEmpty();
    }

    @Test
    void mainnetNeedsConsent() throws Exception {
        try (Anvil mainnet = Anvil.start("--chain-id", "1")) {
            MemoryMintJournal journal = new MemoryMintJournal();
            BatchMinter minter = MintTestSupport.minter(mainnet, Anvil.KEY0, journal).build();
            assertThatThrownBy(minter::chainId)
                    .isInstanceOf(MintException.class)
                    .hasMessageContaining("--mainnet");
            assertThat(
                            MintTestSupport.minter(mainnet, Anvil.KEY0, journal)
                                    .optAllowMainnet(true)
                                    .build()
                                    .chainId())
                    .isEqualTo(1);
        }
    }

    @Test
    void insufficientFunds() throws Exception {
        MemoryMintJournal journal = new MemoryMintJournal();
        String poor =
                Credentials.create(Keys.createEcKeyPair())
                        .getEcKeyPair()
                        .getPrivateKey()
                        .toString(16);
        BatchMinter minter = MintTestSupport.minter(anvil, poor, journal).build();
        assertThatThrownBy(() -> minter.deploy(MintTestSupport.drop(10)))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("insufficient funds")
                .hasMessageContaining("holds 0 wei");
        assertThat(journal.batches()).isEmpty();
    }

    @Test
    void revertedBatchIsRefusedBeforeSending() {
        MemoryMintJournal journal = new MemoryMintJournal();
        String address =
                MintTestSupport.minter(anvil, Anvil.KEY0, new MemoryMintJournal())
                        .build()
                        .deploy(MintTestSupport.drop(10));
        // The second account is no minter of this contract: the chain refuses its batch; nothing
        // is signed or sent.
        BatchMinter stranger = MintTestSupport.minter(anvil, Anvil.KEY1, journal).build();
        assertThatThrownBy(() -> stranger.mint(address, RECIPIENT, 1, 10))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("refuses to mint tokens 1..10")
                .hasMessageContaining("NotMinter(address)");
        assertThat(journal.batches()).isEmpty();
    }

    @Test
    void aDropLargerThanTheContractsMaxSupplyIsRefusedBeforeSending() {
        MemoryMintJournal journal = new MemoryMintJournal();
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxBatch(5)
                        .optWindow(4)
                        .build();
        String address = minter.deploy(MintTestSupport.drop(10));
        int journalled = journal.batches().size();
        // 20 tokens into a drop of at most 10: with four batches of 5 in flight the first two
        // would fit; nothing is signed or sent.
        assertThatThrownBy(() -> minter.mint(address, RECIPIENT, 1, 20))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("takes tokens 1..10 (maxSupply 10), not the drop's 1..20");
        assertThatThrownBy(() -> minter.plan(address, RECIPIENT, 1, 20))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("maxSupply 10");
        assertThat(journal.batches()).hasSize(journalled);
        assertThat(minter.mint(address, RECIPIENT, 1, 10).tokens()).isEqualTo(10);
    }

    @Test
    void badWindowAndStallTimeoutAreRefusedByTheBuilder() {
        assertThatThrownBy(() -> BatchMinter.builder().optWindow(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the in-flight window must be at least 1, not 0");
        assertThatThrownBy(() -> BatchMinter.builder().optStallTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the stall timeout must not be negative");
    }

    @Test
    void feeCeilingBelowTheBaseFee() {
        MemoryMintJournal journal = new MemoryMintJournal();
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, journal)
                        .optMaxFeePerGas(BigInteger.ONE)
                        .build();
        assertThatThrownBy(() -> minter.deploy(MintTestSupport.drop(10)))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("above the fee ceiling");
        assertThat(journal.batches()).isEmpty();
    }

    @Test
    void noContractAtTheAddress() {
        BatchMinter minter =
                MintTestSupport.minter(anvil, Anvil.KEY0, new MemoryMintJournal()).build();
        assertThatThrownBy(() -> minter.plan(RECIPIENT, RECIPIENT, 1, 10))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("no SerigraphDrop contract at " + RECIPIENT);
    }

    @Test
    void keystoreWithTheWrongPassword(@TempDir Path dir) throws Exception {
        String name = WalletUtils.generateLightNewWalletFile("right horse", dir.toFile());
        Path file = dir.resolve(name);
        assertThat(MintKeys.fromKeystore(file, "right horse").getAddress()).startsWith("0x");
        assertThatThrownBy(() -> MintKeys.fromKeystore(file, "wrong horse"))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("wrong password for the key file " + file)
                .hasMessageNotContaining("right horse");
        assertThatThrownBy(() -> MintKeys.fromKeystore(dir.resolve("missing.json"), "x"))
                .isInstanceOf(MintException.class)
                .hasMessageContaining("no key file at");
        assertThatThrownBy(() -> MintKeys.fromPrivateKey("0x1234"))
                .isInstanceOf(MintException.class)
                .hasMessageNotContaining("1234");
    }
}
