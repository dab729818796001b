package io.serigraph.grpc.server;

/** The node has never run the drop: {@code NOT_FOUND} with the drop id. */
final class DropNotFoundException extends RuntimeException {
    private final String drop;

    DropNotFoundException(String drop) {
        super("the node holds no drop " + drop + " for this spec and layer set; Run it first");
        this.drop = drop;
    }

    String drop() {
        return drop;
    }
}
