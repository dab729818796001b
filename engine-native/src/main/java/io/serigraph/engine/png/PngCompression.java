package io.serigraph.engine.png;

import io.serigraph.engine.png.PngEncoder.FilterStrategy;
import java.util.Locale;

/**
 * How hard {@link PngEncoder} compresses: one of three presets, or a zlib level 0..9 with the
 * adaptive filter (the encoder's output before the presets existed, unchanged).
 *
 * <ul>
 *   <li>{@link #FAST}: filters chosen on sampled rows, {@link FastDeflater} with one hash candidate
 *       per position that gives up probing quickly where nothing long matches;
 *   <li>{@link #DEFAULT}: filters chosen on sampled rows, {@link FastDeflater} with hash chains of
 *       4 that gives up probing more slowly;
 *   <li>{@link #MAX}: the adaptive filter on every row and zlib level 9.
 * </ul>
 */
public final class PngCompression {
    /** Speed first: sampled filters, single-candidate fast deflate, quick to skip noise. */
    public static final PngCompression FAST =
            new PngCompression("fast", FilterStrategy.SAMPLED, -1, 1, 32, 8, 1 << 15, 1);

    /** The default: sampled filters, fast deflate with hash chains of 4. */
    public static final PngCompression DEFAULT =
            new PngCompression("default", FilterStrategy.SAMPLED, -1, 4, 128, 8, 1 << 15, 4);

    /** Smallest files: the adaptive filter on every row, zlib level 9. */
    public static final PngCompression MAX =
            new PngCompression("max", FilterStrategy.ADAPTIVE, 9, 0, 0, 0, 0, 0);

    private static final PngCompression[] LEVELS = new PngCompression[10];

    static {
        for (int l = 0; l <= 9; l++) {
            LEVELS[l] =
                    new PngCompression(
                            Integer.toString(l), FilterStrategy.ADAPTIVE, l, 0, 0, 0, 0, 0);
        }
    }

    private final String specName;
    private final FilterStrategy filter;
    private final int zlibLevel;
    private final int chainDepth;
    private final int niceLength;
    private final int insertLimit;
    private final int blockSymbols;
    private final int missStep;

    private PngCompression(
            String specName,
            FilterStrategy filter,
            int zlibLevel,
            int chainDepth,
            int niceLength,
            int insertLimit,
            int blockSymbols,
            int missStep) {
        this.specName = specName;
        this.filter = filter;
        this.zlibLevel = zlibLevel;
        this.chainDepth = chainDepth;
        this.niceLength = niceLength;
        this.insertLimit = insertLimit;
        this.blockSymbols = blockSymbols;
        this.missStep = missStep;
    }

    /** zlib level {@code level} (0 = stored .. 9 = smallest) with the adaptive filter. */
    public static PngCompression level(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("zlib level must be 0 to 9, was " + level);
        }
        return LEVELS[level];
    }

    /**
     * The setting a spec names: {@code fast}, {@code default}, {@code max} (any case) or a level
     * {@code 0} to {@code 9}; {@code null} for anything else.
     */
    public static PngCompression fromSpecName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.length() == 1 && n.charAt(0) >= '0' && n.charAt(0) <= '9') {
            return LEVELS[n.charAt(0) - '0'];
        }
        return switch (n) {
            case "fast" -> FAST;
            case "default" -> DEFAULT;
            case "max" -> MAX;
            default -> null;
        };
    }

    /**
     * The name a spec uses for this setting: {@code fast}, {@code default}, {@code max}, or the
     * level.
     */
    public String specName() {
        return specName;
    }

    public FilterStrategy filterStrategy() {
        return filter;
    }

    /** Whether this is one of the named presets rather than a bare zlib level. */
    public boolean isPreset() {
        return this == FAST || this == DEFAULT || this == MAX;
    }

    /** Whether this setting deflates with {@link FastDeflater} rather than zlib. */
    public boolean usesFastDeflater() {
        return zlibLevel < 0;
    }

    /** The zlib level, or -1 for the presets that use {@link FastDeflater}. */
    public int zlibLevel() {
        return zlibLevel;
    }

    /** A new deflater with this preset's effort; only when {@link #usesFastDeflater()}. */
    FastDeflater newFastDeflater() {
        if (!usesFastDeflater()) {
            throw new IllegalStateException(specName + " deflates with zlib");
        }
        return new FastDeflater(chainDepth, niceLength, insertLimit, blockSymbols, missStep);
    }

    @Override
    public String toString() {
        return specName;
    }
}
