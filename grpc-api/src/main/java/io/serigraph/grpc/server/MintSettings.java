package io.serigraph.grpc.server;

import java.util.Objects;
import org.web3j.crypto.Credentials;

/**
 * How a node mints: its JSON-RPC endpoint and key (never sent by clients), the chain it must be on
 * when given, and whether Ethereum mainnet is allowed.
 *
 * @param rpcUrl the JSON-RPC URL; never shown to clients (it may carry an API key)
 * @param credentials the key that deploys, pays and by default receives
 * @param expectedChainId refuse any other chain; null: any (but mainnet only when allowed)
 * @param allowMainnet allow chain id 1
 */
public record MintSettings(
        String rpcUrl, Credentials credentials, Long expectedChainId, boolean allowMainnet) {
    public MintSettings {
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public String toString() {
        return "MintSettings[" + credentials.getAddress() + "]";
    }
}
