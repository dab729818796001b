package io.serigraph.inference.store;

import java.nio.file.Path;

/**
 * A model in the store cannot be used: its directory, manifest or weights file is missing, the
 * manifest is invalid, a file's SHA-256 differs from the manifest, or libtorch cannot load it. The
 * message names the file to fix; {@link #file()} returns it.
 */
public class ModelStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ModelStoreException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public ModelStoreException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The file or directory at fault. */
    public Path file() {
        return file;
    }
}
