package io.serigraph.grpc.server;

/**
 * A request field that is wrong: {@code INVALID_ARGUMENT} with a {@code google.rpc.BadRequest}
 * field violation naming the field (e.g. {@code images[2]}) and what to fix.
 */
final class BadRequestException extends IllegalArgumentException {
    private final String field;

    BadRequestException(String field, String description) {
        super(field + ": " + description);
        this.field = field;
    }

    /** The request field, in the proto's spelling ({@code images[2]}, {@code aesthetic_model}). */
    String field() {
        return field;
    }

    /** What is wrong with it, without the field name. */
    String description() {
        return getMessage().substring(field.length() + 2);
    }
}
