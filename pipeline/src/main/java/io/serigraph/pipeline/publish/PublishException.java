package io.serigraph.pipeline.publish;

/**
 * Publishing cannot go on: a token not rendered or out of date, an image changed since it was
 * rendered, two tokens with the same image, a disk error. Names the token when it is about one;
 * nothing recorded before the failure is lost, so running again resumes.
 */
public class PublishException extends Exception {
    private final long tokenId;

    /** A problem with token {@code tokenId}. */
    public PublishException(long tokenId, String message, Throwable cause) {
        super("token " + tokenId + ": " + message, cause);
        this.tokenId = tokenId;
    }

    /** A problem not about one token. */
    public PublishException(String message, Throwable cause) {
        super(message, cause);
        this.tokenId = -1;
    }

    /** The token the problem is about, or -1. */
    public long tokenId() {
        return tokenId;
    }
}
