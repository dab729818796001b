package io.serigraph.pipeline.store;

/**
 * A planned token as stored: its id, canonical DNA and traits as a JSON array of {@code [layer,
 * trait]} pairs (none left out).
 */
public record TokenRow(long id, String dna, String traitsJson) {}
