package io.serigraph.chain.mint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * A real anvil node (from npm, {@code src/test/anvil}) on 127.0.0.1 and a free port. Public for
 * other modules' tests (grpc-api's MintService test), through chain-bridge's test jar.
 */
public final class Anvil implements AutoCloseable {
    /** Anvil's first default account (the well-known test mnemonic): 10,000 ETH. */
    public static final String KEY0 = LocalChain.DEV_KEY;

    /** Anvil's second default account. */
    static final String KEY1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private final LocalChain chain;
    private final HttpService service;
    public final String url;
    public final Web3j web3j;

    private Anvil(LocalChain chain) {
        this.chain = chain;
        this.url = chain.url();
        this.service = new HttpService(url);
        this.web3j = Web3j.build(service);
    }

    /**
     * Calls one of anvil's own JSON-RPC methods ({@code evm_mine}, {@code evm_setAutomine}, {@code
     * anvil_reorg}, ...) and returns its result; an error answer fails the test.
     */
    Object call(String method, Object... params) throws IOException {
        Response<?> r = new Request<>(method, List.of(params), service, AnyResponse.class).send();
        if (r.hasError()) {
            throw new IllegalStateException(method + ": " + r.getError().getMessage());
        }
        return r.getResult();
    }

    /** Mines {@code n} blocks now. */
    void mine(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            call("evm_mine");
        }
    }

    /** A JSON-RPC answer whose result is whatever JSON it is. */
    static final class AnyResponse extends Response<Object> {}

    /** Starts anvil (skipping the test loudly where node/npm cannot provide it). */
    public static Anvil start(String... extraArgs) throws IOException {
        Path dir = NodeTools.module().resolve("src/test/anvil");
        NodeTools.requirePackages(dir);
        Path bin = dir.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(bin),
                "SKIPPED LOUDLY: no anvil binary for this platform at " + bin);
        return new Anvil(LocalChain.start(bin, extraArgs));
    }

    @Override
    public void close() {
        web3j.shutdown();
        chain.close();
    }
}
