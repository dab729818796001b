package io.serigraph.chain.mint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed ABI, bytecode and build record are what solcjs makes of SerigraphDrop.sol now (so a
 * change to the source without recompiling fails here). Needs node and npm; skips loudly otherwise.
 */
class ContractArtifactTest {
    @Test
    void committedArtifactsMatchARecompile(@TempDir Path out) throws Exception {
        Path solidity = NodeTools.module().resolve("src/main/solidity");
        NodeTools.requirePackages(solidity);
        Process p =
                new ProcessBuilder("node", "compile.mjs", out.toString())
                        .directory(solidity.toFile())
                        .redirectErrorStream(true)
                        .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        Path committed =
                NodeTools.module().resolve("src/main/resources/io/serigraph/chain/contract");
        for (String f : List.of("SerigraphDrop.abi", "SerigraphDrop.bin", "SerigraphDrop.json")) {
            assertThat(Files.readString(out.resolve(f)))
                    .as(
                            f
                                    + " differs from a recompile: run `node compile.mjs` in src/main/solidity and commit")
                    .isEqualTo(Files.readString(committed.resolve(f)));
        }
        assertThat(Files.readString(committed.resolve("SerigraphDrop.json")))
                .contains("0.8.28+commit.7893614a");
    }
}
