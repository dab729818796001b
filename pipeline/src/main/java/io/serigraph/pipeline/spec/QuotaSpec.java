package io.serigraph.pipeline.spec;

/**
 * An exact quota: exactly {@code count} tokens of the collection have the trait (one-of-ones that
 * name it included). The layer's other traits share the remaining tokens by weight.
 *
 * @param trait the trait
 * @param count the exact number of tokens, a percentage already resolved against the size
 * @param written the value as written ({@code 10} or {@code 2.5%})
 * @param line the spec line of the quota
 */
public record QuotaSpec(TraitRef trait, int count, String written, int line) {}
