package io.serigraph.grpc.server;

/** A model's batcher queue is full: {@code RESOURCE_EXHAUSTED}, retry later or elsewhere. */
final class ModelBusyException extends RuntimeException {
    ModelBusyException(String message) {
        super(message);
    }
}
