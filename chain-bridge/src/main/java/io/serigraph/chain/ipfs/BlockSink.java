package io.serigraph.chain.ipfs;

import java.io.IOException;

/**
 * Receives blocks in the order an importer produces them (a {@link CarWriter}, a list, a store).
 */
@FunctionalInterface
public interface BlockSink {
    /** Takes one block; its byte array must not be changed. */
    void accept(Block block) throws IOException;
}
