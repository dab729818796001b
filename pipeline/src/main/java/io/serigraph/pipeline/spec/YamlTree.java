package io.serigraph.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into {@link YamlNode}s with Jackson's streaming parser, recording the line of every
 * node. Reports, with their lines: syntax errors, duplicate keys, aliases ({@code *name}, which the
 * streaming parser cannot expand) and a second document.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    static final String SYNTAX_HINT =
            "fix the YAML: indent with spaces, never tabs; quote values that contain ': ' or start"
                    + " with '#', '*', '&', '!', '[', '{' or '@'";

    private final Problems problems;

    private YamlTree(Problems problems) {
        this.problems = problems;
    }

    /**
     * Parses one YAML document. Returns {@code null} when nothing usable could be read (a syntax
     * error, or an empty file), with the reason added to {@code problems}.
     */
    static YamlNode parse(byte[] yaml, Problems problems) {
        return new YamlTree(problems).parse(yaml);
    }

    private YamlNode parse(byte[] yaml) {
        try (JsonParser p = FACTORY.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                problems.add(
                        1,
                        "",
                        "the file is empty (a spec needs at least name, symbol, size,"
                                + " seed, canvas and layers; see docs/spec.md)");
                return null;
            }
            YamlNode root = node(p, "");
            JsonToken next = p.nextToken();
            if (next != null) {
                problems.add(
                        line(p),
                        "",
                        "the file holds more than one YAML document (keep one: remove the '---'"
                                + " line and what follows it, or merge the documents)");
            }
            return root;
        } catch (JsonProcessingException e) {
            syntaxError(e);
            return null;
        } catch (IOException e) {
            problems.add(0, "", "cannot read the YAML: " + e.getMessage());
            return null;
        }
    }

    /** Reads the value whose first token is the current one. */
    private YamlNode node(JsonParser p, String path) throws IOException {
        int line = line(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    p.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    YamlNode value = node(p, childPath);
                    YamlNode.Entry first = entries.get(key);
                    if (first != null) {
                        problems.add(
                                keyLine,
                                childPath,
                                "duplicate key '"
                                        + key
                                        + "' (first given on line "
                                        + first.keyLine()
                                        + "; keep one of them)");
                    } else {
                        entries.put(key, new YamlNode.Entry(key, keyLine, value));
                    }
                }
                return new YamlNode.Mapping(line, entries);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, path + "[" + items.size() + "]"));
                }
                return new YamlNode.Sequence(line, items);
            }
            default -> {
                if (p instanceof YAMLParser yp && yp.isCurrentAlias()) {
                    problems.add(
                            line,
                            path,
                            "YAML aliases (*"
                                    + p.getText()
                                    + ") are not supported (write the value out in full)");
                }
                return new YamlNode.Scalar(
                        line,
                        t,
                        p.getText(),
                        t == JsonToken.VALUE_NUMBER_INT ? p.getBigIntegerValue() : null);
            }
        }
    }

    private static int line(JsonParser p) {
        JsonLocation loc = p.currentTokenLocation();
        return loc == null ? 0 : Math.max(0, loc.getLineNr());
    }

    private void syntaxError(JsonProcessingException e) {
        // Jackson's own location is where the parser stood, often the line before the mistake;
        // SnakeYAML's problem mark is the mistake itself.
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m) {
                Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
                String what = m.getProblem() != null ? m.getProblem() : m.getContext();
                if (m.getContext() != null && m.getProblem() != null) {
                    what = m.getContext() + ": " + m.getProblem();
                }
                problems.add(
                        mark == null ? 0 : mark.getLine() + 1,
                        "",
                        "YAML syntax error: " + oneLine(what) + " (" + SYNTAX_HINT + ")");
                return;
            }
        }
        JsonLocation loc = e.getLocation();
        problems.add(
                loc == null ? 0 : Math.max(0, loc.getLineNr()),
                "",
                "YAML error: " + oneLine(e.getOriginalMessage()) + " (" + SYNTAX_HINT + ")");
    }

    private static String oneLine(String s) {
        return s == null ? "unreadable YAML" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
