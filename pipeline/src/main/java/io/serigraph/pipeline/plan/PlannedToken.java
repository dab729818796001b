package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.TraitSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One planned token: its id and, per layer (bottom to top), the index of the chosen trait in {@link
 * LayerSpec#traits()}, or {@link #NONE} when the layer is left out.
 *
 * @param id the token id
 * @param choices per layer, a trait index or {@link #NONE}; copied in and out
 */
public record PlannedToken(long id, int[] choices) {
    /** The choice of a layer left out. */
    public static final int NONE = -1;

    public PlannedToken {
        choices = choices.clone();
        for (int c : choices) {
            if (c < NONE) {
                throw new IllegalArgumentException("choice out of range: " + c);
            }
        }
    }

    /** A copy of the choices, one per layer. */
    @Override
    public int[] choices() {
        return choices.clone();
    }

    /** The choice of {@code layer} (a trait index or {@link #NONE}). */
    public int choice(int layer) {
        return choices[layer];
    }

    public int layerCount() {
        return choices.length;
    }

    /**
     * The canonical DNA: the choices bottom to top as decimal trait indexes, {@code x} for a layer
     * left out, joined by {@code -}; e.g. {@code 0-12-x-3}. Two tokens of one plan share a DNA only
     * when they have the same traits, which a plan never allows.
     */
    public String dna() {
        return dna(choices);
    }

    /**
     * The choices a canonical DNA stands for: the inverse of {@link #dna()}.
     *
     * @throws IllegalArgumentException when {@code dna} is not a DNA of {@code layers} layers
     */
    public static int[] choicesOf(String dna, int layers) {
        String[] parts = dna.split("-", -1);
        if (parts.length != layers) {
            throw new IllegalArgumentException(
                    "DNA '" + dna + "' has " + parts.length + " parts for " + layers + " layers");
        }
        int[] c = new int[layers];
        for (int l = 0; l < layers; l++) {
            if (parts[l].equals("x")) {
                c[l] = NONE;
            } else if (!parts[l].isEmpty()
                    && parts[l].chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    && parts[l].length() < 10) {
                c[l] = Integer.parseInt(parts[l]);
            } else {
                throw new IllegalArgumentException(
                        "DNA '" + dna + "': '" + parts[l] + "' is neither a trait index nor x");
            }
        }
        return c;
    }

    static String dna(int[] choices) {
        StringBuilder sb = new StringBuilder(choices.length * 3);
        for (int l = 0; l < choices.length; l++) {
            if (l > 0) {
                sb.append('-');
            }
            if (choices[l] == NONE) {
                sb.append('x');
            } else {
                sb.append(choices[l]);
            }
        }
        return sb.toString();
    }

    /**
     * The trait chosen in {@code layer}, or empty when the layer is left out.
     *
     * @param layers the plan's layers ({@link Plan#layers()}), bottom to top
     */
    public Optional<TraitSpec> trait(List<LayerSpec> layers, int layer) {
        int c = choices[layer];
        return c == NONE ? Optional.empty() : Optional.of(layers.get(layer).traits().get(c));
    }

    /**
     * The traits of this token bottom to top, layers left out skipped.
     *
     * @param layers the plan's layers ({@link Plan#layers()}), bottom to top
     */
    public List<TraitSpec> traits(List<LayerSpec> layers) {
        if (layers.size() != choices.length) {
            throw new IllegalArgumentException(
                    "token has " + choices.length + " layers, got " + layers.size());
        }
        List<TraitSpec> out = new ArrayList<>(choices.length);
        for (int l = 0; l < choices.length; l++) {
            trait(layers, l).ifPresent(out::add);
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedToken other
                && id == other.id
                && Arrays.equals(choices, other.choices);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(id) + Arrays.hashCode(choices);
    }

    @Override
    public String toString() {
        return "PlannedToken[id=" + id + ", dna=" + dna() + "]";
    }
}
