package io.serigraph.grpc.server;

/** A request named a model the node's store does not hold. */
final class ModelNotFoundException extends RuntimeException {
    private final String model;

    ModelNotFoundException(String model, String message) {
        super(message);
        this.model = model;
    }

    /** The model as the request named it, {@code <name>/<version>}. */
    String model() {
        return model;
    }
}
