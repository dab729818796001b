package io.serigraph.pipeline.provenance;

/**
 * The commit-reveal starting index: the provenance hash is published over the images in planned
 * order; a starting index revealed afterwards (e.g. from a block hash) decides which planned art
 * each token id shows: the token at position {@code i} (id {@code startId + i}) shows the art
 * planned for position {@code (i + startingIndex) % size}. Without a starting index every token
 * shows its own art.
 */
public final class StartingIndex {
    private StartingIndex() {}

    /** The planned position whose art the token at position {@code position} shows. */
    public static int artPosition(int position, int size, Long startingIndex) {
        if (position < 0 || position >= size) {
            throw new IndexOutOfBoundsException("position " + position + " of " + size);
        }
        if (startingIndex == null) {
            return position;
        }
        return (int) ((position + Math.floorMod(startingIndex, (long) size)) % size);
    }
}
