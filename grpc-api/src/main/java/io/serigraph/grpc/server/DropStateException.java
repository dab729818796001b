package io.serigraph.grpc.server;

/**
 * The drop is not in a state for the request (a run is in progress, QC has not run, the token was
 * not sent to review): {@code FAILED_PRECONDITION}; the message says what to do first.
 */
final class DropStateException extends RuntimeException {
    DropStateException(String message) {
        super(message);
    }
}
