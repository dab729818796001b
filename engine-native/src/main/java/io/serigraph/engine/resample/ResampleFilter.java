package io.serigraph.engine.resample;

import java.util.Locale;

/** How an image is scaled to the output size. Both compute paths implement each bit-identically. */
public enum ResampleFilter {
    /** Nearest neighbour: keeps hard pixel edges (pixel art). */
    NEAREST,
    /** Lanczos with a = 3, separable, fixed-point weights (see docs/pixel-math.md). */
    LANCZOS3;

    /** The spec spelling: {@code nearest}, {@code lanczos3}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the spec spelling; {@code null} when unknown. */
    public static ResampleFilter fromSpecName(String name) {
        for (ResampleFilter f : values()) {
            if (f.specName().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
