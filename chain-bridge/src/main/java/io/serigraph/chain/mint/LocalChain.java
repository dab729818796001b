package io.serigraph.chain.mint;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local development chain: an anvil (Foundry) process on 127.0.0.1 and a free port, stopped on
 * {@link #close()}. For the demo and for tests; its first account is the public test key of anvil's
 * default mnemonic ({@link #DEV_KEY}), funded on that throwaway chain only.
 */
public final class LocalChain implements AutoCloseable {
    /** Anvil's first default account: a published test key, never to be used on a real chain. */
    public static final String DEV_KEY =
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private static final long START_SECONDS = 20;

    private final Process process;
    private final String url;

    private LocalChain(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts {@code anvil} on 127.0.0.1 and a free port with {@code extraArgs}, and waits until it
     * accepts connections (20 s at most).
     *
     * @throws IOException when it cannot be started, exits, or does not listen in time
     */
    public static LocalChain start(Path anvil, String... extraArgs) throws IOException {
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
        LocalChain chain = new LocalChain(p, "http://127.0.0.1:" + port);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
            while (p.isAlive() && System.nanoTime() < deadline) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return chain;
                } catch (IOException notYet) {
                    p.waitFor(50, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            chain.close();
            throw new IOException("interrupted while starting " + anvil, e);
        }
        chain.close();
        throw new IOException(
                anvil
                        + " did not start on 127.0.0.1:"
                        + port
                        + " within "
                        + START_SECONDS
                        + " s (exit "
                        + (p.isAlive() ? "none: still running" : Integer.toString(p.exitValue()))
                        + ")");
    }

    /** Its JSON-RPC endpoint, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    /** Stops the process (5 s to exit, then killed). */
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
