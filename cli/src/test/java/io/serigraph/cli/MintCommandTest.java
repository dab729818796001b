package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    void refusesWithoutAKeyOrABaseUri() {
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
    }

    @Test
    void deploysMintsAndResumesOnAnvil() throws Exception {
        Path anvil =
                Path.of(
                                "..",
                                "chain-bridge",
                                "src",
                                "test",
                                "anvil",
                                "node_modules",
                                "@foundry-rs",
                                "anvil-linux-amd64",
                                "bin",
                                "anvil")
                        .toAbsolutePath()
                        .normalize();
        assumeTrue(
                Files.isExecutable(anvil),
                "SKIPPED LOUDLY: no anvil at "
                        + anvil
                        + " (chain-bridge's tests and .ci/run install it with npm install; node/npm missing?)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p =
                new ProcessBuilder(
                                anvil.toString(),
                                "--host",
                                "127.0.0.1",
                                "--port",
                                Integer.toString(port))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        try {
            awaitPort(p, port);
            String rpc = "http://127.0.0.1:" + port;
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
                    .contains("gas/token");
            console.resetOut();
            assertThat(Main.run(args)).isZero();
            assertThat(console.out()).contains("tokens     3").doesNotContain("mint: contract");
            console.resetOut();
            String[] dry = {
                "mint", d.toString(), "--rpc", rpc, "--base-uri", "ipfs://bafy/", "--dry-run"
            };
            assertThat(Main.run(dry)).isZero();
            assertThat(console.out()).contains("0 tokens left in 0 batches");
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void awaitPort(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                p.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("anvil did not start on port " + port);
    }
}
