package io.serigraph.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class SpecWriterProperties {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    /** Any well-formed string survives quoting: the YAML parser reads back exactly it. */
    @Property(tries = 2000)
    void quotedStringsReadBackExactly(@ForAll String s) throws Exception {
        if (!wellFormed(s)) {
            return;
        }
        String doc = "k: " + SpecWriter.quote(s) + "\n";
        try (JsonParser p = YAML.createParser(doc.getBytes(StandardCharsets.UTF_8))) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
            assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
            assertThat(p.getText()).isEqualTo(s);
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
