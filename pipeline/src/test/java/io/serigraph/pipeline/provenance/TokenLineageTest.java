package io.serigraph.pipeline.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lineage's output.compression: a preset as text, a zlib level as a number, both read back. */
class TokenLineageTest {
    private final ObjectMapper json = new ObjectMapper();

    private static TokenLineage lineage(String compression) {
        return new TokenLineage(
                7,
                7,
                "dna",
                "spec",
                "plan",
                "seed",
                1,
                1,
                3,
                "renderer",
                new TokenLineage.Output("png", 512, 512, "lanczos3", compression),
                List.of(new TokenLineage.Trait("Body", "Moth", "layers/Body/Moth.png", "ab")),
                new TokenLineage.FileRef("images/7.png", "cd", 10, "cid1"),
                new TokenLineage.FileRef("metadata/7.json", "ef", 20, "cid2"));
    }

    private JsonNode roundTrip(TokenLineage t) {
        return json.valueToTree(t.toMap());
    }

    @Test
    void presetsAreTextAndLevelsAreNumbers() throws Exception {
        JsonNode preset = roundTrip(lineage("default"));
        assertThat(preset.path("output").path("compression").isTextual()).isTrue();
        assertThat(TokenLineage.fromJson(preset, "t")).isEqualTo(lineage("default"));

        JsonNode level = roundTrip(lineage("6"));
        assertThat(level.path("output").path("compression").isInt()).isTrue();
        assertThat(level.path("output").path("compression").intValue()).isEqualTo(6);
        assertThat(TokenLineage.fromJson(level, "t")).isEqualTo(lineage("6"));
    }

    @Test
    void aCompressionThatIsNeitherTextNorAWholeNumberIsRefusedByName() {
        ObjectNode bad = (ObjectNode) roundTrip(lineage("max"));
        ((ObjectNode) bad.get("output")).put("compression", true);
        assertThatThrownBy(() -> TokenLineage.fromJson(bad, "tokens[0]"))
                .isInstanceOf(ProvenanceFormatException.class)
                .hasMessageContaining("tokens[0].output.compression");
    }
}
