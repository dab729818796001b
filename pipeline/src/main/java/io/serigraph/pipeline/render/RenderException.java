package io.serigraph.pipeline.render;

/**
 * Rendering a token failed (disk full, an unwritable folder, a backend error). Names the token;
 * every token finished before the failure stays recorded, so running again resumes.
 */
public class RenderException extends Exception {
    private final long tokenId;

    public RenderException(long tokenId, String message, Throwable cause) {
        super("token " + tokenId + ": " + message, cause);
        this.tokenId = tokenId;
    }

    public long tokenId() {
        return tokenId;
    }
}
