package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.serigraph.chain.mint.LocalChain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code serigraph mint} in-process against a real anvil node. */
class MintCommandTest {
    /** Anvil's first default account. */
    private static final String KEY0 =
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    @AfterEach
    void restore() {
        MintCommand.env = System::getenv;
    }

    private Path drop() {
        Path d = dir.resolve("drop");
        assertThat(Main.run("init", d.toString(), "--size", "3", "--canvas", "64")).isZero();
        return d;
    }

    @Test
    void refusesWithoutAKeyOrABaseUri() throws Exception {
        Path d = drop();
        MintCommand.env = Map.<String, String>of()::get;
        assertThat(Main.run("mint", d.toString(), "--rpc", "http://127.0.0.1:1"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("no key: set SERIGRAPH_PRIVATE_KEY");
        MintCommand.env = Map.of("SERIGRAPH_PRIVATE_KEY", KEY0)::get;
        assertThat(Main.run("mint", d.toString(), "--rpc", "http://127.0.0.1:1"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("no metadata CID");
        assertThat(
                        Main.run(
                                "mint",
                                d.toString(),
                                "--rpc",
                                "http://127.0.0.1:1",
                                "--base-uri",
                                "ipfs://x/"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(console.err())
                .contains("cannot reach the RPC node at http://127.0.0.1:1")
                .doesNotContain(KEY0.substring(2));
        assertThat(Main.run("mint", d.toString(), "--rpc", "http://127.0.0.1:1", "--window", "0"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("--window must be at least 1, was 0");
        assertThat(
                        Main.run(
                                "mint",
                                d.toString(),
                                "--rpc",
                                "http://127.0.0.1:1",
                                "--stall-seconds",
                                "0"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err()).contains("--stall-seconds must be at least 1, was 0");
        // A spec whose published metadata is already shifted cannot be revealed on-chain too.
        java.nio.file.Files.writeString(
                d.resolve("serigraph.yaml"),
                "publish:\n  starting_index: 2\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(
                        Main.run(
                                "mint",
                                d.toString(),
                                "--rpc",
                                "http://127.0.0.1:1",
                                "--base-uri",
                                "ipfs://x/",
                                "--reveal"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(console.err())
                .contains("publish.starting_index is set")
                .contains("would shift it twice");
    }

    /** Anvil on a free loopback port (skipped loudly where it is not installed). */
    private static LocalChain anvil(String... args) throws IOException {
        Optional<Path> anvil = DevChain.find();
        assumeTrue(
                anvil.isPresent(),
                "SKIPPED LOUDLY: no anvil ("
                        + DevChain.HOW_TO_GET
                        + "; chain-bridge's tests and .ci/run install it)");
        return LocalChain.start(anvil.get(), args);
    }

    @Test
    void deploysMintsAndResumesOnAnvil() throws Exception {
        try (LocalChain chain = anvil()) {
            String rpc = chain.url();
            Path d = drop();
            MintCommand.env = Map.of("SERIGRAPH_PRIVATE_KEY", KEY0)::get;
            String[] args = {
                "mint", d.toString(), "--rpc", rpc, "--base-uri", "ipfs://bafy/", "--batch", "2"
            };
            assertThat(Main.run(args)).as(console.err()).isZero();
            String first = console.out();
            assertThat(first)
                    .contains("contract   0x")
                    .contains("batches    2")
                    .contains("tokens     3")
                    .contains("gas/token")
                    .contains("the contract's provenance hash is not set");
            console.resetOut();
            assertThat(Main.run(args)).isZero();
            assertThat(console.out()).contains("tokens     3").doesNotContain("mint: contract");
            console.resetOut();
            String[] dry = {
                "mint", d.toString(), "--rpc", rpc, "--base-uri", "ipfs://bafy/", "--dry-run"
            };
            assertThat(Main.run(dry)).isZero();
            assertThat(console.out()).contains("0 tokens left in 0 batches");
            // A new base URI (a drop published again) is set on the contract, once.
            console.resetOut();
            String[] moved = {"mint", d.toString(), "--rpc", rpc, "--base-uri", "ipfs://moved/"};
            assertThat(Main.run(moved)).isZero();
            assertThat(console.out()).contains("base URI now ipfs://moved/ (ERC-4906");
            console.resetOut();
            assertThat(Main.run(moved)).isZero();
            assertThat(console.out()).doesNotContain("base URI now");
        }
    }

    @Test
    void revealsTheStartingIndexOnAChainThatMakesBlocks() throws Exception {
        try (LocalChain chain = anvil("--block-time", "1")) {
            Path d = drop();
            MintCommand.env = Map.of("SERIGRAPH_PRIVATE_KEY", KEY0)::get;
            String[] args = {
                "mint",
                d.toString(),
                "--rpc",
                chain.url(),
                "--base-uri",
                "ipfs://bafy/",
                "--window",
                "2",
                "--confirmations",
                "2",
                "--reveal"
            };
            assertThat(Main.run(args)).as(console.err()).isZero();
            assertThat(console.out())
                    .containsPattern("starting index [0-2] revealed")
                    .contains("tokens     3");
            String index =
                    console.out().replaceAll("(?s).*starting index ([0-2]) revealed.*", "$1");
            console.resetOut();
            // Again: nothing to mint, the same index, nothing sent.
            assertThat(Main.run(args)).isZero();
            assertThat(console.out()).contains("starting index " + index + " revealed");
        }
    }
}
