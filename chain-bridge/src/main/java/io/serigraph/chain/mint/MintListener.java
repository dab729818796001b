package io.serigraph.chain.mint;

/** Hears each step of a mint: for progress bars, logs, and tests that stop the minter at a step. */
@FunctionalInterface
public interface MintListener {
    void on(MintEvent event);
}
