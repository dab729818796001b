package io.serigraph.chain.pin;

/**
 * The service refused the credentials (HTTP 401 or 403). Never retried: the token or key must be
 * fixed first.
 */
public class PinningAuthException extends PinningException {
    public PinningAuthException(String message, int status) {
        super(message, status);
    }
}
