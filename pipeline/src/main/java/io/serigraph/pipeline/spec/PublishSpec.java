package io.serigraph.pipeline.spec;

/**
 * The {@code publish:} block: how the publish stage addresses images, whether it writes CAR files,
 * the optional revealed starting index and the contract-level metadata.
 *
 * @param imageUri how each token's {@code image} points at its file
 * @param car whether to write {@code out/car/images.car} and {@code out/car/metadata.car}
 * @param startingIndex the revealed starting index, or {@code null} before reveal (no offset):
 *     token {@code startId + i} shows the art planned for position {@code (i + startingIndex) %
 *     size}
 * @param contract the contract-level metadata ({@code contractURI})
 */
public record PublishSpec(
        ImageUri imageUri, boolean car, Long startingIndex, ContractSpec contract) {

    /** How a token's {@code image} field addresses its file. */
    public enum ImageUri {
        /** {@code ipfs://<images directory CID>/<id>.png}: one CID for all images. */
        DIRECTORY,
        /** {@code ipfs://<image CID>}: each file's own CID. */
        FILE;

        /** The spec's name of this mode. */
        public String specName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Contract-level metadata (OpenSea {@code contractURI}); {@code null} fields take their
     * defaults when the file is written.
     *
     * @param name default: the collection name
     * @param description default: the collection description
     * @param image a URI; default: the first token's image
     * @param externalLink may be {@code null}
     * @param sellerFeeBasisPoints 0..10000 (100 = 1%)
     * @param feeRecipient {@code 0x} + 40 hex digits, or {@code null} (required when the fee is
     *     above 0)
     */
    public record ContractSpec(
            String name,
            String description,
            String image,
            String externalLink,
            int sellerFeeBasisPoints,
            String feeRecipient) {}

    /** Directory URIs, CAR files, no starting index, contract fields from the collection. */
    public static PublishSpec defaults() {
        return new PublishSpec(
                ImageUri.DIRECTORY, true, null, new ContractSpec(null, null, null, null, 0, null));
    }
}
