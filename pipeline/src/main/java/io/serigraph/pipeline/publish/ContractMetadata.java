package io.serigraph.pipeline.publish;

import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.PublishSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract-level metadata ({@code contractURI}, OpenSea's convention): {@code name}, {@code
 * description}, {@code image}, {@code external_link}, {@code seller_fee_basis_points}, {@code
 * fee_recipient}. Fields the spec leaves out take the collection's name and description and the
 * first token's image; {@code external_link} and {@code fee_recipient} are left out when not set.
 */
public final class ContractMetadata {
    private ContractMetadata() {}

    /** The document. */
    public static Map<String, Object> of(CollectionSpec spec, String defaultImage) {
        PublishSpec.ContractSpec c = spec.publish().contract();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", c.name() != null ? c.name() : spec.name());
        doc.put("description", c.description() != null ? c.description() : spec.description());
        doc.put("image", c.image() != null ? c.image() : defaultImage);
        if (c.externalLink() != null) {
            doc.put("external_link", c.externalLink());
        }
        doc.put("seller_fee_basis_points", c.sellerFeeBasisPoints());
        if (c.feeRecipient() != null) {
            doc.put("fee_recipient", c.feeRecipient());
        }
        return doc;
    }

    /** The canonical bytes of {@code out/publish/contract.json}. */
    public static byte[] json(CollectionSpec spec, String defaultImage) {
        return TokenMetadata.pretty(of(spec, defaultImage));
    }
}
