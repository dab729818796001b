package io.serigraph.pipeline.qc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.serigraph.pipeline.render.TokenMetadata;
import io.serigraph.pipeline.spec.QcTier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metadata schema validity (ERC-721 metadata JSON with OpenSea attributes): the number of problems
 * in {@code out/metadata/<id>.json}. {@code name}, {@code description} and {@code image} must be
 * strings ({@code name} and {@code image} not empty, {@code image} ending {@code <id>.png}); {@code
 * external_url}, when present, a string; {@code attributes} an array of objects, each with a string
 * {@code trait_type} and a string or number {@code value}, equal to the plan's traits in order.
 */
public final class MetadataSchemaCheck implements QcCheck {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String name() {
        return "metadata_schema";
    }

    @Override
    public Scope scope() {
        return Scope.TOKEN;
    }

    @Override
    public boolean higherIsWorse() {
        return true;
    }

    @Override
    public double defaultThreshold() {
        return 0;
    }

    @Override
    public QcTier defaultTier() {
        return QcTier.FAIL;
    }

    @Override
    public String remedy() {
        return "the metadata file is not valid ERC-721/OpenSea metadata for the planned traits:"
                + " re-render the token with 'serigraph render --force'";
    }

    @Override
    public double measure(QcToken token, QcDrop drop) {
        return problems(token, drop).size();
    }

    /** What is wrong with the token's metadata, one line each. */
    public static List<String> problems(QcToken token, QcDrop drop) {
        List<String> problems = new ArrayList<>();
        JsonNode doc;
        try {
            doc = MAPPER.readTree(token.metadata());
        } catch (IOException e) {
            problems.add("not JSON: " + e.getMessage());
            return problems;
        }
        if (doc == null || !doc.isObject()) {
            problems.add("not a JSON object");
            return problems;
        }
        text(doc, "name", false, problems);
        text(doc, "description", true, problems);
        if (text(doc, "image", false, problems)
                && !doc.get("image").asText().endsWith(token.id() + ".png")) {
            problems.add("image does not end with " + token.id() + ".png");
        }
        if (doc.has("external_url")) {
            text(doc, "external_url", true, problems);
        }
        JsonNode attributes = doc.get("attributes");
        if (attributes == null || !attributes.isArray()) {
            problems.add("attributes is not an array");
            return problems;
        }
        for (int i = 0; i < attributes.size(); i++) {
            JsonNode a = attributes.get(i);
            if (!a.isObject()
                    || !a.path("trait_type").isTextual()
                    || !(a.path("value").isTextual() || a.path("value").isNumber())) {
                problems.add("attributes[" + i + "] is not {trait_type: text, value: text|number}");
            }
        }
        List<Map<String, Object>> planned =
                TokenMetadata.attributes(
                        drop.plan(), (int) (token.token().id() - drop.plan().startId()));
        if (!MAPPER.valueToTree(planned).equals(attributes)) {
            problems.add("attributes differ from the plan's traits");
        }
        return problems;
    }

    private static boolean text(JsonNode doc, String key, boolean allowEmpty, List<String> out) {
        JsonNode v = doc.get(key);
        if (v == null || !v.isTextual()) {
            out.add(key + " is missing or not a string");
            return false;
        }
        if (!allowEmpty && v.asText().isEmpty()) {
            out.add(key + " is empty");
            return false;
        }
        return true;
    }
}
