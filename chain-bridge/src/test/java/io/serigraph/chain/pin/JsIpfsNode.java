package io.serigraph.chain.pin;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real IPFS node for tests: js-ipfs 0.66.1 (pinned in {@code src/test/js-ipfs/package-lock.json})
 * run as {@code jsipfs daemon --offline} with its RPC API on a free loopback port and a fresh
 * repository in a temporary folder; stopped and deleted on {@link #close()}. Runs {@code npm
 * install --no-save} (the lock file as committed; npm 11's {@code npm ci} rejects this lock over an
 * optional dependency) in the test folder first when {@code node_modules} is missing. Without
 * Node.js and npm the test is skipped, loudly (CI installs them, see {@code .ci/run}).
 */
public final class JsIpfsNode implements AutoCloseable {
    /** The npm folder, found from chain-bridge or from a sibling module's tests. */
    static final Path FOLDER = folder();

    private static Path folder() {
        Path here = Path.of("src", "test", "js-ipfs").toAbsolutePath();
        Path sibling = Path.of("..", "chain-bridge", "src", "test", "js-ipfs").toAbsolutePath();
        return Files.isRegularFile(here.resolve("package.json")) ? here : sibling.normalize();
    }

    private final Process process;
    private final Path repo;
    private final URI api;
    private final StringBuffer log = new StringBuffer();

    private JsIpfsNode(Process process, Path repo, URI api) {
        this.process = process;
        this.repo = repo;
        this.api = api;
    }

    /** Starts a node, or skips the test when Node.js or npm is missing. */
    public static JsIpfsNode start() throws Exception {
        requireTool("node");
        requireTool("npm");
        Path cli = FOLDER.resolve("node_modules/ipfs/src/cli.js");
        if (!Files.isRegularFile(cli)) {
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save"), 600);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path temp = Files.createTempDirectory("serigraph-jsipfs");
        Path config = temp.resolve("config.json");
        Files.writeString(
                config,
                "{\"Addresses\": {\"API\": \"/ip4/127.0.0.1/tcp/"
                        + port
                        + "\", \"Gateway\": \"\", \"RPC\": \"\", \"Swarm\": [], \"Delegates\": []},"
                        + " \"Bootstrap\": [], \"Discovery\": {\"MDNS\": {\"Enabled\": false},"
                        + " \"webRTCStar\": {\"Enabled\": false}}}");
        ProcessBuilder pb =
                new ProcessBuilder(
                                "node",
                                cli.toString(),
                                "daemon",
                                "--offline",
                                "--enable-preload=false",
                                "--init-config",
                                config.toString())
                        .directory(FOLDER.toFile())
                        .redirectErrorStream(true);
        pb.environment().put("IPFS_PATH", temp.resolve("repo").toString());
        JsIpfsNode node = new JsIpfsNode(pb.start(), temp, URI.create("http://127.0.0.1:" + port));
        node.awaitReady();
        return node;
    }

    /** The RPC address, e.g. {@code http://127.0.0.1:41234}. */
    public URI api() {
        return api;
    }

    /** Reads the daemon's output until it says it is ready (or exits, or 90 s pass). */
    private void awaitReady() throws Exception {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                for (String line = r.readLine();
                                        line != null;
                                        line = r.readLine()) {
                                    log.append(line).append('\n');
                                    if (line.contains("Daemon is ready")) {
                                        ready.complete(null);
                                    }
                                }
                                ready.completeExceptionally(
                                        new IOException("jsipfs daemon exited:\n" + log));
                            } catch (IOException e) {
                                ready.completeExceptionally(e);
                            }
                        },
                        "jsipfs-log");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(90, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            close();
            throw new IOException("jsipfs daemon not ready after 90 s:\n" + log, e);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private static void requireTool(String tool) throws Exception {
        boolean present;
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (!present) {
            String reason =
                    "SKIPPED: "
                            + tool
                            + " is not installed, so the js-ipfs node for the Kubo RPC tests cannot"
                            + " run (install Node.js 20 and npm; .ci/run does)";
            System.err.println("*** " + reason);
        }
        assumeTrue(present, tool + " is not installed: the js-ipfs tests are skipped");
    }

    private static void run(List<String> command, int seconds) throws Exception {
        Process p =
                new ProcessBuilder(command)
                        .directory(FOLDER.toFile())
                        .redirectErrorStream(true)
                        .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(
                    String.join(" ", command)
                            + " in "
                            + FOLDER
                            + " failed:\n"
                            + new String(out, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(repo)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
