package io.serigraph.pipeline.spec;

/**
 * A reference to one trait of one layer, written {@code Layer:Trait} in the spec.
 *
 * @param layer the layer's index, bottom to top
 * @param trait the trait's index in {@link LayerSpec#traits()}
 * @param text the reference as written, e.g. {@code Hat:Crown}
 */
public record TraitRef(int layer, int trait, String text) {
    @Override
    public String toString() {
        return text;
    }
}
