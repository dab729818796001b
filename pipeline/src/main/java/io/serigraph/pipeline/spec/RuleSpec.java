package io.serigraph.pipeline.spec;

import java.util.List;

/**
 * One entry of the spec's {@code rules} list (see {@code docs/spec.md}, "rules").
 *
 * @param kind what the rule says
 * @param refs the traits it names: for {@link Kind#FORBID} and {@link Kind#PAIR} all of them; for
 *     {@link Kind#REQUIRE}, {@link Kind#NO_LAYER} and {@link Kind#ONLY} the condition ({@code if})
 *     first, then the traits of {@code then} or {@code only}
 * @param layer for {@link Kind#NO_LAYER}, the index of the layer that must be left out; else -1
 * @param line the spec line of the rule
 */
public record RuleSpec(Kind kind, List<TraitRef> refs, int layer, int line) {

    /** The kinds of rule. */
    public enum Kind {
        /** {@code forbid: [A, B, ...]}: these traits never all appear on one token. */
        FORBID,
        /** {@code if: A, then: [B, C]}: a token with A has at least one of B, C. */
        REQUIRE,
        /** {@code if: A, no: Layer}: a token with A has no trait from the layer. */
        NO_LAYER,
        /** {@code if: A, only: [L:B, L:C]}: a token with A has B, C or nothing from layer L. */
        ONLY,
        /** {@code pair: [A, B]}: A and B always appear together (each implies the other). */
        PAIR
    }

    public RuleSpec {
        refs = List.copyOf(refs);
    }

    /** The condition of an {@code if} rule. */
    public TraitRef condition() {
        return refs.get(0);
    }
}
