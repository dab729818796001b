package io.serigraph.pipeline.spec;

import java.util.Objects;

/**
 * One thing wrong with a collection spec.
 *
 * @param line 1-based line in the spec file, or 0 when unknown (or when the problem is not about a
 *     line, such as a missing file)
 * @param field dotted path of the offending key, e.g. {@code layers[2].dir} or {@code canvas.width}
 *     (list indexes are 0-based); empty when the problem is about the whole file
 * @param message what is wrong and what to do about it
 */
public record SpecProblem(int line, String field, String message) {

    public SpecProblem {
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, was " + line);
        }
        field = field == null ? "" : field;
        Objects.requireNonNull(message, "message");
    }

    /**
     * {@code <file>:<line>: <field>: <message>}, leaving out the line when 0 and the field when
     * empty.
     */
    public String format(String file) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (!field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }
}
