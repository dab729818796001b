package io.serigraph.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a local development chain's binary is: anvil (Foundry) on PATH or in the repository's npm
 * folder, for the demo and the CLI tests, which start it with chain-bridge's {@link
 * io.serigraph.chain.mint.LocalChain}.
 */
final class DevChain {
    /** Where chain-bridge's tests install anvil from npm, from the repository root. */
    static final Path NPM_ANVIL =
            Path.of(
                    "chain-bridge/src/test/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");

    /** How to get one, for messages. */
    static final String HOW_TO_GET =
            "npm install --prefix chain-bridge/src/test/anvil --no-save (or Foundry's anvil on PATH)";

    private DevChain() {}

    /**
     * The anvil binary: on PATH, else in the repository's npm folder (below the working folder, or
     * the folder the serigraph jar was built in).
     */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(d).resolve("anvil");
                if (!d.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of("").toAbsolutePath());
        try {
            // cli/target/serigraph-cli.jar or cli/target/classes: the repository is two up.
            Path built =
                    Path.of(
                            DevChain.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            if (built.getParent() != null && built.getParent().getParent() != null) {
                roots.add(built.getParent().getParent().getParent());
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source: the working folder alone
        }
        for (Path root : roots) {
            if (root == null) {
                continue;
            }
            Path p = root.resolve(NPM_ANVIL);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
