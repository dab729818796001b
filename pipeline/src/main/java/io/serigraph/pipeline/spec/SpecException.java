package io.serigraph.pipeline.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A collection spec that cannot be used: YAML syntax, an unknown or missing key, a wrong value, a
 * layer folder or file that is missing, corrupt or the wrong size, weights that cannot work.
 *
 * <p>Checked on purpose: every caller must decide what a bad spec means for it (the CLI maps it to
 * exit code 2, the gRPC edge to {@code INVALID_ARGUMENT}). The loader reports every problem it can
 * find in one go, sorted by line; {@link #file()}, {@link #line()}, {@link #field()} and {@link
 * #reason()} describe the first, {@link #problems()} all of them. {@link #getMessage()} has one
 * line per problem, each {@code <file>:<line>: <field>: <message>}, e.g. {@code serigraph.yaml:12:
 * layers[2].dir: folder 'layers/Hat' does not exist (create it or fix the path)}.
 */
public class SpecException extends Exception {
    private final Path file;
    private final List<SpecProblem> problems;

    /** One problem. */
    public SpecException(Path file, int line, String field, String message) {
        this(file, List.of(new SpecProblem(line, field, message)));
    }

    /** Several problems, reported in the given order; at least one. */
    public SpecException(Path file, List<SpecProblem> problems) {
        super(format(file, problems));
        this.file = Objects.requireNonNull(file, "file");
        this.problems = List.copyOf(problems);
    }

    private static String format(Path file, List<SpecProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one problem");
        }
        StringBuilder sb = new StringBuilder();
        for (SpecProblem p : problems) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(p.format(file.toString()));
        }
        return sb.toString();
    }

    /** The spec file (or, for {@code serigraph init}, the layers folder) the problems are in. */
    public Path file() {
        return file;
    }

    /** Line of the first problem, 1-based; 0 when unknown. */
    public int line() {
        return problems.get(0).line();
    }

    /** Field of the first problem, e.g. {@code layers[2].dir}; empty when about the whole file. */
    public String field() {
        return problems.get(0).field();
    }

    /** The first problem's message, without file, line and field. */
    public String reason() {
        return problems.get(0).message();
    }

    /** Every problem found, first one first. */
    public List<SpecProblem> problems() {
        return problems;
    }
}
