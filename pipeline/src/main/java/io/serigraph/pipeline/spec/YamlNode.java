package io.serigraph.pipeline.spec;

import com.fasterxml.jackson.core.JsonToken;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value that remembers the line it came from, so that every error can name it. Built
 * by {@link YamlTree} from Jackson's streaming YAML parser; never bound with databind.
 */
sealed interface YamlNode {

    /** 1-based line where the value starts. */
    int line();

    /** How the value reads in an error message: "a list", "the text 'abc'", ... */
    String describe();

    /**
     * A scalar.
     *
     * @param token Jackson's reading of it: string, int, float, true, false or null
     * @param text the scalar as written (without quotes)
     * @param integer the value when {@code token} is {@code VALUE_NUMBER_INT}, else {@code null}
     */
    record Scalar(int line, JsonToken token, String text, BigInteger integer) implements YamlNode {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        public String describe() {
            return switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
                case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
                case VALUE_NULL -> "no value";
                default -> text.isEmpty() ? "an empty value" : "the text '" + text + "'";
            };
        }
    }

    /** A mapping; keys in file order. */
    record Mapping(int line, Map<String, Entry> entries) implements YamlNode {
        @Override
        public String describe() {
            return "a mapping (key: value pairs)";
        }
    }

    /** One key of a mapping, with the line of the key itself. */
    record Entry(String key, int keyLine, YamlNode value) {}

    /** A list. */
    record Sequence(int line, List<YamlNode> items) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
