package io.serigraph.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local development chain: anvil (Foundry) on 127.0.0.1 and a free port, started for the demo and
 * the CLI tests and stopped on {@link #close()}. Its first account is the well-known test key of
 * anvil's default mnemonic, holding 10,000 ETH on that throwaway chain only.
 */
final class DevChain implements AutoCloseable {
    /** Anvil's first default account (public test key: never use it on a real chain). */
    static final String DEV_KEY =
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    /** Where chain-bridge's tests install anvil from npm, from the repository root. */
    static final Path NPM_ANVIL =
            Path.of(
                    "chain-bridge/src/test/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");

    /** How to get one, for messages. */
    static final String HOW_TO_GET =
            "npm install --prefix chain-bridge/src/test/anvil --no-save (or Foundry's anvil on PATH)";

    private final Process process;
    final String url;

    private DevChain(Process process, String url) {
        this.process = process;
        this.url = url;
    }

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

    /**
     * Starts {@code anvil} on 127.0.0.1 and a free port, waiting (20 s at most) until it listens.
     */
    static DevChain start(Path anvil, String... extraArgs) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                anvil.toString(),
                                "--host",
                                "127.0.0.1",
                                "--port",
                                Integer.toString(port)));
        cmd.addAll(List.of(extraArgs));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        DevChain chain = new DevChain(p, "http://127.0.0.1:" + port);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (p.isAlive() && System.nanoTime() < deadline) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return chain;
                } catch (IOException notYet) {
                    p.waitFor(50, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chain.close();
        throw new IOException(
                anvil + " did not start on 127.0.0.1:" + port + " (exit " + exit(p) + ")");
    }

    private static String exit(Process p) {
        return p.isAlive() ? "still running" : Integer.toString(p.exitValue());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
