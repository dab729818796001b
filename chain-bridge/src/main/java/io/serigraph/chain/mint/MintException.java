package io.serigraph.chain.mint;

/**
 * Minting failed: the message says what went wrong and what to fix (RPC URL, chain, funds, key).
 */
public class MintException extends RuntimeException {
    public MintException(String message) {
        super(message);
    }

    public MintException(String message, Throwable cause) {
        super(message, cause);
    }
}
