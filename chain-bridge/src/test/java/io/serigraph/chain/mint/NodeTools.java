package io.serigraph.chain.mint;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one place tests find Node and npm packages. Where node or npm is missing, or {@code npm
 * install} fails, the test is skipped with a loud reason (CI has both, so nothing skips there).
 */
final class NodeTools {
    private NodeTools() {}

    /** chain-bridge's base directory (the tests run with it as the working directory). */
    static Path module() {
        Path here = Path.of("").toAbsolutePath();
        if (Files.isDirectory(here.resolve("src/test/anvil"))) {
            return here;
        }
        // Another module's tests run in that module's folder, beside chain-bridge.
        Path sibling = here.resolveSibling("chain-bridge");
        return Files.isDirectory(sibling.resolve("src/test/anvil"))
                ? sibling
                : here.resolve("chain-bridge");
    }

    /** Requires {@code node} on the PATH. */
    static void requireNode() {
        assumeTrue(
                runs(List.of("node", "--version"), module()),
                "SKIPPED LOUDLY: node is not on the PATH; install Node 20 to run the contract and minting tests");
    }

    /**
     * Makes sure {@code dir/node_modules} exists, running {@code npm install --no-save} there if
     * needed: it installs exactly the committed lock file without rewriting it (npm 11's {@code npm
     * ci} rejects these lock files over platform packages they list as optional).
     */
    static void requirePackages(Path dir) {
        requireNode();
        if (Files.isDirectory(dir.resolve("node_modules"))) {
            return;
        }
        assumeTrue(
                runs(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save"), dir),
                "SKIPPED LOUDLY: `npm install` failed in "
                        + dir
                        + " (npm missing or the registry unreachable)");
    }

    private static boolean runs(List<String> command, Path dir) {
        try {
            Process p =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
