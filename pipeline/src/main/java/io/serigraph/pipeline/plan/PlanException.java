package io.serigraph.pipeline.plan;

/**
 * A collection spec that cannot be planned: weights that cannot be scaled, a size larger than the
 * number of unique trait combinations, a layer with nothing to choose. The message names what to
 * fix. It never contains the collection's seed.
 */
public class PlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String layer;

    public PlanException(String message) {
        this(message, null);
    }

    public PlanException(String message, String layer) {
        super(message);
        this.layer = layer;
    }

    /** The name of the layer at fault, or {@code null} when the problem is not one layer's. */
    public String layer() {
        return layer;
    }
}
