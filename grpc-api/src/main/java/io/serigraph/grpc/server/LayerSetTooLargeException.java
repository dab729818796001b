package io.serigraph.grpc.server;

/** An upload went over the node's limit on layer set size. */
public final class LayerSetTooLargeException extends RuntimeException {
    public LayerSetTooLargeException(long maxBytes) {
        super("layer set is larger than this node accepts (" + maxBytes + " bytes)");
    }
}
