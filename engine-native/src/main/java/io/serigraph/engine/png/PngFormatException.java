package io.serigraph.engine.png;

import java.io.IOException;

/**
 * A PNG stream that cannot be decoded: not a PNG, truncated, a bad CRC, an invalid header field, a
 * corrupt zlib stream, a bad filter byte, or a size over the pixel budget. The message says what is
 * wrong and where (chunk, byte offset, row) so that a user can fix or replace the file.
 */
public class PngFormatException extends IOException {
    public PngFormatException(String message) {
        super(message);
    }

    public PngFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
