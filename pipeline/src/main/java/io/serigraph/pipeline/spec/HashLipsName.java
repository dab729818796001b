package io.serigraph.pipeline.spec;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A HashLips-style layer file name, {@code <Trait>#<weight>.png}.
 *
 * <ul>
 *   <li>The weight is the text after the <em>last</em> {@code #}, so a trait name may itself hold
 *       {@code #} ({@code No #5#2.png} is trait {@code No #5}, weight 2).
 *   <li>The weight is an exact, non-negative decimal: digits with an optional fraction ({@code 3},
 *       {@code 0.5}, {@code 12.75}). A sign, an exponent ({@code 1e3}), {@code NaN}, {@code
 *       Infinity}, a bare dot or anything else is rejected. Its scale is kept as written ({@code
 *       0.50} stays {@code 0.50}); compare weights with {@code compareTo}.
 *   <li>A name without {@code #} has weight 1.
 *   <li>The extension is {@code .png} in any case; the trait name is normalized to Unicode NFC (so
 *       macOS's decomposed file names give the same trait as everywhere else).
 * </ul>
 *
 * @param trait the trait name, NFC, never empty
 * @param weight the relative weight, {@code >= 0}
 */
public record HashLipsName(String trait, BigDecimal weight) {
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    public HashLipsName {
        Objects.requireNonNull(trait, "trait");
        Objects.requireNonNull(weight, "weight");
        if (trait.isEmpty() || weight.signum() < 0) {
            throw new IllegalArgumentException("empty trait or negative weight");
        }
    }

    /**
     * Whether a directory entry is a layer file at all: not hidden (no leading {@code .}) and with
     * a {@code .png} extension in any case. Other files ({@code .DS_Store}, {@code Thumbs.db},
     * {@code notes.txt}) are ignored by the scanner.
     */
    public static boolean isLayerFile(String fileName) {
        return !fileName.startsWith(".")
                && fileName.length() > 4
                && fileName.substring(fileName.length() - 4)
                        .toLowerCase(Locale.ROOT)
                        .equals(".png");
    }

    /**
     * Parses a layer file name (one for which {@link #isLayerFile} holds).
     *
     * @throws IllegalArgumentException with a message saying what is wrong, when the trait name is
     *     empty or the weight is not a non-negative decimal
     */
    public static HashLipsName parse(String fileName) {
        if (!isLayerFile(fileName)) {
            throw new IllegalArgumentException("not a .png file name");
        }
        String stem =
                Normalizer.normalize(
                        fileName.substring(0, fileName.length() - 4), Normalizer.Form.NFC);
        int hash = stem.lastIndexOf('#');
        String trait = hash < 0 ? stem : stem.substring(0, hash);
        BigDecimal weight = hash < 0 ? BigDecimal.ONE : parseWeight(stem.substring(hash + 1));
        if (trait.isBlank()) {
            throw new IllegalArgumentException("the trait name before '#' is empty");
        }
        return new HashLipsName(trait, weight);
    }

    /**
     * Parses an exact non-negative decimal: digits with an optional fraction.
     *
     * @throws IllegalArgumentException naming the bad text and why
     */
    public static BigDecimal parseWeight(String text) {
        String problem = decimalProblem(text);
        if (problem == null) {
            return new BigDecimal(text);
        }
        String weight = text.isEmpty() ? "weight " : "weight '" + text + "' ";
        return fail(weight + problem + "; weights are non-negative decimals like 1, 0.5 or 12.75");
    }

    /**
     * Why {@code text} is not an exact non-negative decimal ({@code "is negative"}, {@code "has an
     * exponent, which is not supported"}, ...), or {@code null} when it is one.
     */
    static String decimalProblem(String text) {
        if (DECIMAL.matcher(text).matches()) {
            return null;
        }
        if (text.isEmpty()) {
            return "is empty";
        }
        if (text.startsWith("-")) {
            return "is negative";
        }
        if (text.matches("[+]?[0-9.]+[eE][+-]?[0-9]+")) {
            return "has an exponent, which is not supported";
        }
        return "is not a decimal number";
    }

    private static BigDecimal fail(String message) {
        throw new IllegalArgumentException(message);
    }

    /**
     * The canonical file name for a trait and weight: {@code <trait>#<weight>.png} with the weight
     * in plain notation; {@link #parse} gives the pair back.
     */
    public String fileName() {
        return trait + "#" + weight.toPlainString() + ".png";
    }
}
