package io.serigraph.chain.mint;

import java.math.BigInteger;
import java.util.Objects;

/**
 * What the SerigraphDrop contract is deployed with.
 *
 * @param name the ERC-721 name
 * @param symbol the ERC-721 symbol
 * @param maxSupply the most tokens that can ever be minted
 * @param firstTokenId the id of the first token
 * @param baseUri {@code ipfs://<metadataCID>/}; token n's URI is baseUri + n
 * @param royaltyReceiver ERC-2981 receiver ({@code 0x0...0} for none)
 * @param royaltyBps ERC-2981 royalty in basis points (at most 10,000)
 */
public record DropConfig(
        String name,
        String symbol,
        long maxSupply,
        long firstTokenId,
        String baseUri,
        String royaltyReceiver,
        int royaltyBps) {
    public static final String NO_ADDRESS = "0x0000000000000000000000000000000000000000";

    public DropConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(royaltyReceiver, "royaltyReceiver");
        if (maxSupply <= 0) {
            throw new IllegalArgumentException("maxSupply must be positive, not " + maxSupply);
        }
        if (firstTokenId < 0) {
            throw new IllegalArgumentException(
                    "firstTokenId must not be negative: " + firstTokenId);
        }
        if (royaltyBps < 0 || royaltyBps > 10_000) {
            throw new IllegalArgumentException("royaltyBps must be 0..10000, not " + royaltyBps);
        }
        if (royaltyBps > 0 && new BigInteger(royaltyReceiver.substring(2), 16).signum() == 0) {
            throw new IllegalArgumentException("a royalty needs a royaltyReceiver");
        }
    }
}
