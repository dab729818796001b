package io.serigraph.pipeline.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.MetadataSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A token's ERC-721 / OpenSea metadata JSON: {@code name}, {@code description}, {@code image},
 * {@code external_url} when configured, and {@code attributes} as {@code [{trait_type, value}]}
 * bottom layer first, a "none" trait left out. The bytes are canonical: fixed key order, two-space
 * indent, {@code \n} line ends, a final newline, the same on every platform.
 */
public final class TokenMetadata {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY =
            MAPPER.writer(
                    new DefaultPrettyPrinter()
                            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    private static final ObjectWriter COMPACT = MAPPER.writer();

    private TokenMetadata() {}

    /**
     * The metadata document of the token at 0-based position {@code index} of {@code plan}, its
     * image at {@code <image_base_uri><id>.png}.
     */
    public static Map<String, Object> of(CollectionSpec spec, Plan plan, int index) {
        long id = plan.get(index).id();
        return of(spec, plan, id, index, spec.metadata().imageBaseUri() + id + ".png");
    }

    /**
     * The metadata document of token {@code id} showing the art (traits, or a one-of-one's own
     * attributes) planned at position {@code artIndex}, with {@code image} set to {@code imageUri}.
     * The art is the token's own unless a starting index shifts which planned art a token id shows.
     */
    public static Map<String, Object> of(
            CollectionSpec spec, Plan plan, long id, int artIndex, String imageUri) {
        MetadataSpec m = spec.metadata();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", m.nameFor(id));
        doc.put("description", m.description());
        doc.put("image", imageUri);
        if (m.externalUrl() != null && !m.externalUrl().isEmpty()) {
            doc.put("external_url", m.externalUrl().replace("{id}", Long.toString(id)));
        }
        doc.put("attributes", attributes(plan, artIndex));
        return doc;
    }

    /**
     * {@code [{trait_type, value}]}: a generative token's traits bottom layer first with "none"
     * left out, or a one-of-one's own attributes as written.
     */
    public static List<Map<String, Object>> attributes(Plan plan, int index) {
        List<Map<String, Object>> attributes = new ArrayList<>();
        for (Map.Entry<String, String> e : plan.attributes(index)) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("trait_type", e.getKey());
            a.put("value", e.getValue());
            attributes.add(a);
        }
        return attributes;
    }

    /** The canonical bytes of the metadata file of the token at {@code index}. */
    public static byte[] json(CollectionSpec spec, Plan plan, int index) {
        return pretty(of(spec, plan, index));
    }

    /** The canonical bytes of {@link #of(CollectionSpec, Plan, long, int, String)}. */
    public static byte[] json(
            CollectionSpec spec, Plan plan, long id, int artIndex, String imageUri) {
        return pretty(of(spec, plan, id, artIndex, imageUri));
    }

    /**
     * Any JSON document (maps, lists, strings, numbers) in the canonical file form: two-space
     * indent, {@code \n} line ends, a final newline.
     */
    public static byte[] pretty(Object document) {
        return (write(PRETTY, document) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Compact canonical JSON of any value made of maps, lists, strings and numbers. */
    public static String compact(Object value) {
        return write(COMPACT, value);
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata is not serializable: " + e.getMessage(), e);
        }
    }
}
