package io.serigraph.pipeline.spec;

/**
 * ERC-721 / OpenSea metadata settings.
 *
 * @param nameTemplate e.g. {@code "Moth #{id}"}; {@code {id}} is replaced by the token id
 * @param externalUrl may be {@code null}; may contain {@code {id}}
 * @param imageBaseUri prefix of the {@code image} field, e.g. {@code ipfs://<cid>/}; the image is
 *     {@code <imageBaseUri><id>.png}
 */
public record MetadataSpec(
        String nameTemplate, String description, String externalUrl, String imageBaseUri) {

    /** The token's name from the template. */
    public String nameFor(long id) {
        return nameTemplate.replace("{id}", Long.toString(id));
    }
}
