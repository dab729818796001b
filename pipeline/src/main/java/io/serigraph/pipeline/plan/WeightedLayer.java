package io.serigraph.pipeline.plan;

import io.serigraph.pipeline.spec.LayerSpec;
import io.serigraph.pipeline.spec.TraitSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One layer's weights scaled to exact integers, ready for draws; also the layer's allowed choices
 * in mixed-radix digit order for the collision scan.
 *
 * <p>Options are the traits in {@link LayerSpec#traits()} order, then "none" (choice {@code -1})
 * when the layer is optional. Every weight is multiplied by {@code 10^s}, where {@code s} is the
 * largest number of decimal places among the layer's weights (at least 0), which makes them exact
 * integers.
 */
final class WeightedLayer {
    /** Largest allowed integer total of a layer's scaled weights. */
    static final long MAX_TOTAL = 1L << 62;

    /** Cumulative scaled weights, one per option. */
    private final long[] cumulative;

    /** The choice of each option: trait index, or -1 for none. */
    private final int[] optionChoice;

    /** Allowed choices (positive weight) in digit order: trait indexes ascending, then -1. */
    private final int[] allowed;

    /** Digit of a choice: {@code digitOf[choice + 1]}, or -1 when the choice is not allowed. */
    private final int[] digitOf;

    private final long total;
    private final long threshold;

    private WeightedLayer(long[] cumulative, int[] optionChoice, int[] allowed, int traitCount) {
        this.cumulative = cumulative;
        this.optionChoice = optionChoice;
        this.allowed = allowed;
        this.total = cumulative[cumulative.length - 1];
        this.threshold = Long.remainderUnsigned(-total, total);
        this.digitOf = new int[traitCount + 1];
        Arrays.fill(digitOf, -1);
        for (int d = 0; d < allowed.length; d++) {
            digitOf[allowed[d] + 1] = d;
        }
    }

    /**
     * Scales {@code layer}'s weights. Weights must already be checked non-null and non-negative.
     *
     * @throws PlanException when nothing can be chosen or the scaled total exceeds 2^62
     */
    static WeightedLayer of(LayerSpec layer) {
        List<BigDecimal> weights = new ArrayList<>();
        List<Integer> choices = new ArrayList<>();
        for (int i = 0; i < layer.traits().size(); i++) {
            TraitSpec trait = layer.traits().get(i);
            weights.add(trait.weight());
            choices.add(i);
        }
        if (layer.optional()) {
            weights.add(layer.noneWeight());
            choices.add(-1);
        }
        int scale = 0;
        for (BigDecimal w : weights) {
            if (w.signum() > 0) {
                scale = Math.max(scale, w.stripTrailingZeros().scale());
            }
        }
        long[] cumulative = new long[weights.size()];
        int[] optionChoice = new int[weights.size()];
        List<Integer> allowed = new ArrayList<>();
        BigInteger sum = BigInteger.ZERO;
        BigInteger max = BigInteger.valueOf(MAX_TOTAL);
        for (int o = 0; o < weights.size(); o++) {
            BigDecimal w = weights.get(o);
            if (w.signum() > 0) {
                // Integer digits after scaling; more than 19 is certainly above 2^62.
                int digits = w.precision() - w.scale() + scale;
                if (digits > 19) {
                    throw tooLarge(layer, scale);
                }
                sum = sum.add(w.movePointRight(scale).toBigIntegerExact());
                if (sum.compareTo(max) > 0) {
                    throw tooLarge(layer, scale);
                }
                allowed.add(choices.get(o));
            }
            cumulative[o] = sum.longValueExact();
            optionChoice[o] = choices.get(o);
        }
        if (sum.signum() == 0) {
            throw new PlanException(
                    "layer '"
                            + layer.name()
                            + "' has nothing to choose: no trait has a positive weight and the"
                            + " layer is not optional",
                    layer.name());
        }
        // Options are in digit order already: traits ascending, then none.
        int[] allowedArray = allowed.stream().mapToInt(Integer::intValue).toArray();
        return new WeightedLayer(cumulative, optionChoice, allowedArray, layer.traits().size());
    }

    private static PlanException tooLarge(LayerSpec layer, int scale) {
        return new PlanException(
                "layer '"
                        + layer.name()
                        + "': its weights scaled to integers (x10^"
                        + scale
                        + ") add up to more than 2^62; use fewer decimal places or smaller weights",
                layer.name());
    }

    /**
     * Draws one choice: {@code r = rng.nextBounded(total)} (inlined), then the first option whose
     * cumulative weight exceeds {@code r}.
     */
    int draw(SplitMix64 rng) {
        long x = rng.nextLong();
        while (Long.compareUnsigned(x, threshold) < 0) {
            x = rng.nextLong();
        }
        long r = Long.remainderUnsigned(x, total);
        // First index with cumulative[i] > r (upper bound).
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return optionChoice[lo];
    }

    /** Number of allowed choices (the radix of this layer's digit). */
    int radix() {
        return allowed.length;
    }

    /** The digit of an allowed choice. */
    int digitOf(int choice) {
        return digitOf[choice + 1];
    }

    /** The choice of a digit. */
    int choiceOf(int digit) {
        return allowed[digit];
    }

    /** Whether {@code choice} can ever be drawn. */
    boolean isAllowed(int choice) {
        return choice >= -1 && choice + 1 < digitOf.length && digitOf[choice + 1] >= 0;
    }
}
